-- Prisma cannot express triggers.
--
-- wallet_link remembers every wallet an account has had. A trigger writes it, so every way a wallet gets linked
-- (account creation, sign-in, PUT /api/user/me/wallet, the operator's replacement, code added later) records it,
-- in the same transaction as the link. Only an insert or an update naming wallet_address fires it.
CREATE FUNCTION wallet_link_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.wallet_address IS NOT NULL THEN
    INSERT INTO wallet_link (address, account_id) VALUES (NEW.wallet_address, NEW.id) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER account_wallet_link_insert AFTER INSERT ON account
  FOR EACH ROW WHEN (NEW.wallet_address IS NOT NULL) EXECUTE FUNCTION wallet_link_record();
CREATE TRIGGER account_wallet_link_update AFTER UPDATE OF wallet_address ON account
  FOR EACH ROW WHEN (NEW.wallet_address IS DISTINCT FROM OLD.wallet_address) EXECUTE FUNCTION wallet_link_record();

INSERT INTO wallet_link (address, account_id, linked_at)
  SELECT wallet_address, id, created_at FROM account WHERE wallet_address IS NOT NULL
  ON CONFLICT DO NOTHING;
