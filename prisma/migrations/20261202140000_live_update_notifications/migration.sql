-- Hand-written: live updates (docs/live-updates.md). Every statement that changes what an account sees sends,
-- in its own transaction, a notification on channel "account_changed": "<what> <accountId> <accountId> …", where
-- <what> is rewards, fees or claims. A rolled-back change notifies nothing (NOTIFY is delivered at commit), and a
-- writer added later is covered without knowing about it. Statement-level triggers over transition tables: one
-- notification per statement and kind, whatever the number of rows, split under PostgreSQL's 8000-byte payload
-- limit (a 1,000-event batch touching 4,000 accounts sends about 20).

CREATE FUNCTION notify_accounts_changed(what text, account_ids text[]) RETURNS void
LANGUAGE sql AS $$
  SELECT pg_notify('account_changed', what || ' ' || string_agg(id, ' '))
  FROM (
    SELECT id, (sum(length(id) + 1) OVER (ORDER BY id) / 7000) AS part
    FROM unnest(account_ids) AS id
    WHERE id IS NOT NULL
  ) ids
  GROUP BY part
$$;

CREATE FUNCTION ledger_entry_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM notify_accounts_changed('rewards', ARRAY(SELECT DISTINCT account_id FROM changed_rows));
  RETURN NULL;
END $$;

CREATE TRIGGER ledger_entry_notify_insert AFTER INSERT ON ledger_entry
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_entry_changed();

-- A referral applied lower in the network changes the counts an ancestor's dashboard shows.
CREATE FUNCTION network_count_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM notify_accounts_changed('rewards', ARRAY(SELECT DISTINCT account_id FROM changed_rows));
  RETURN NULL;
END $$;

CREATE TRIGGER network_count_notify_insert AFTER INSERT ON network_count
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION network_count_changed();
CREATE TRIGGER network_count_notify_update AFTER UPDATE ON network_count
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION network_count_changed();

-- New fee entries, and entries attached to a claim, released by a failed one, or voided.
CREATE FUNCTION fee_entry_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM notify_accounts_changed('fees', ARRAY(SELECT DISTINCT referrer_id FROM changed_rows));
  RETURN NULL;
END $$;

CREATE TRIGGER fee_entry_notify_insert AFTER INSERT ON fee_entry
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION fee_entry_changed();
CREATE TRIGGER fee_entry_notify_update AFTER UPDATE ON fee_entry
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION fee_entry_changed();

-- Claims recorded and every change of their state (signed, completed, failed).
CREATE FUNCTION claim_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM notify_accounts_changed('claims', ARRAY(SELECT DISTINCT account_id FROM changed_rows));
  RETURN NULL;
END $$;

CREATE TRIGGER claim_notify_insert AFTER INSERT ON claim
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION claim_changed();
CREATE TRIGGER claim_notify_update AFTER UPDATE ON claim
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION claim_changed();
