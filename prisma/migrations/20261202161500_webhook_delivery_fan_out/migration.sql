-- Hand-written: webhook fan-out (docs/webhooks.md). Each event written to the outbox gets, in the same statement's
-- transaction, one delivery row per endpoint subscribed to its type: a rolled-back change leaves neither event nor
-- deliveries, and the code that emits an event needs to know nothing of endpoints. Statement-level, over the
-- transition table, so a batch of 1,000 events is one INSERT … SELECT. The notification wakes every instance's
-- dispatcher at commit (NOTIFY is delivered then, and only then); dispatchers also poll, so a missed one costs at
-- most a poll interval.

ALTER TABLE webhook_delivery ADD CONSTRAINT webhook_delivery_status_check
  CHECK (status IN ('pending', 'succeeded', 'failed'));

-- What the dispatcher asks each round: an endpoint's deliveries that are due.
CREATE INDEX webhook_delivery_due_idx ON webhook_delivery (endpoint_id, next_attempt_at) WHERE status = 'pending';

CREATE FUNCTION webhook_event_fan_out() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_delivery (event_id, endpoint_id, created_at)
  SELECT e.id, w.id, e.created_at
  FROM new_events e
  JOIN webhook_endpoint w ON w.events @> ARRAY['*'] OR e.type = ANY (w.events);
  IF FOUND THEN
    PERFORM pg_notify('webhook_delivery', '');
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER webhook_event_fan_out AFTER INSERT ON webhook_event
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION webhook_event_fan_out();
