-- Programs as data (docs/api.md, Programs). Rows recorded before this migration were produced by the rules that
-- become version 1 of each program: the default fills them without rewriting the tables, and is dropped at once so
-- that a row written later says which version produced it, or nothing (an operator's adjustment, a rollup).
ALTER TABLE "fee_entry" ADD COLUMN "program_version" INTEGER DEFAULT 1;
ALTER TABLE "fee_entry" ALTER COLUMN "program_version" DROP DEFAULT;

ALTER TABLE "fee_transaction" ADD COLUMN "program_version" INTEGER DEFAULT 1;
ALTER TABLE "fee_transaction" ALTER COLUMN "program_version" DROP DEFAULT;

ALTER TABLE "ledger_entry" ADD COLUMN "program_version" INTEGER DEFAULT 1;
ALTER TABLE "ledger_entry" ALTER COLUMN "program_version" DROP DEFAULT;
-- A compacted row sums rows of many events; no single version produced it.
UPDATE "ledger_entry" SET "program_version" = NULL WHERE "kind" = 'ROLLUP';

CREATE TABLE "program_version" (
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "document" JSONB NOT NULL,
    "effective_from" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,

    CONSTRAINT "program_version_pkey" PRIMARY KEY ("name","version"),
    CONSTRAINT "program_version_name" CHECK ("name" IN ('rewards', 'perpetual')),
    CONSTRAINT "program_version_from_one" CHECK ("version" >= 1)
);

-- Versions are history: the database refuses to change or remove one, whoever connects.
CREATE FUNCTION program_version_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'program_version is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER program_version_no_update_or_delete
  BEFORE UPDATE OR DELETE ON "program_version"
  FOR EACH ROW EXECUTE FUNCTION program_version_refuse_change();

CREATE TRIGGER program_version_no_truncate
  BEFORE TRUNCATE ON "program_version"
  FOR EACH STATEMENT EXECUTE FUNCTION program_version_refuse_change();

-- Every instance keeps the versions in force in memory and listens on this channel: "<name> <version>", sent at
-- the commit of the transaction that added the version, whichever instance or script added it.
CREATE FUNCTION program_version_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('program_changed', NEW.name || ' ' || NEW.version);
  RETURN NULL;
END $$;

CREATE TRIGGER program_version_notify_insert AFTER INSERT ON "program_version"
  FOR EACH ROW EXECUTE FUNCTION program_version_notify();

-- Version 1: the rules of the two seed documents, as the code held them until now (decimals as exact strings).
INSERT INTO "program_version" ("name", "version", "document", "created_by") VALUES
('rewards', 1, '{
  "directBonus": { "user": "25", "provider": "50" },
  "shares": { "user": ["15", "8", "4"], "provider": ["10", "5", "2.5"] },
  "usagePoints": {
    "/chat/completions": { "base": "1", "perToken": "0.001" },
    "/embeddings": { "base": "0.5", "perToken": "0.0005" },
    "/scrape": { "base": "0.2", "perToken": "0" },
    "/tts": { "base": "0.8", "perToken": "0" }
  },
  "rateCard": {
    "tiers": {
      "tide-pool": { "perRequest": "0.005", "perToken": "0.00001" },
      "blue-surge": { "perRequest": "0.015", "perToken": "0.00003" },
      "open-ocean": { "perRequest": "0.035", "perToken": "0.00007" },
      "mariana-depth": { "perRequest": "0.075", "perToken": "0.00015" }
    },
    "serviceMultiplier": {
      "/chat/completions": "1.0",
      "/embeddings": "0.3",
      "/scrape": "0.2",
      "/tts": "0.6",
      "other": "0.5"
    },
    "tokenServices": ["/chat/completions", "/embeddings"],
    "models": {
      "nomic-embed-text": { "tier": "tide-pool", "complexity": "0.3" },
      "mxbai-embed-large": { "tier": "tide-pool", "complexity": "0.4" },
      "qwen2.5:0.5b": { "tier": "tide-pool", "complexity": "0.3" },
      "llama3.2:1b": { "tier": "tide-pool", "complexity": "0.4" },
      "gemma3:1b": { "tier": "tide-pool", "complexity": "0.4" },
      "llama3.2:3b": { "tier": "blue-surge", "complexity": "0.6" },
      "qwen2.5:3b": { "tier": "blue-surge", "complexity": "0.6" },
      "kokoro-82m": { "tier": "blue-surge", "complexity": "0.5" },
      "mistral:7b": { "tier": "blue-surge", "complexity": "1.0" },
      "qwen2.5:7b": { "tier": "blue-surge", "complexity": "1.0" },
      "llama3.1:8b": { "tier": "blue-surge", "complexity": "1.1" },
      "gemma3:12b": { "tier": "open-ocean", "complexity": "1.5" },
      "qwen2.5:14b": { "tier": "open-ocean", "complexity": "1.7" },
      "deepseek-r1:14b": { "tier": "open-ocean", "complexity": "1.8" },
      "gemma3:27b": { "tier": "mariana-depth", "complexity": "2.3" },
      "qwen2.5:32b": { "tier": "mariana-depth", "complexity": "2.5" },
      "deepseek-r1:32b": { "tier": "mariana-depth", "complexity": "2.6" },
      "llama3.3:70b": { "tier": "mariana-depth", "complexity": "3.0" }
    },
    "unknownModel": { "tier": "blue-surge", "complexity": "1.0" },
    "latency": { "fastBelowMs": 2000, "fastMultiplier": "1.1", "slowAboveMs": 10000, "slowMultiplier": "0.9" }
  },
  "uptimePointsPerHour": "0.036"
}', 'migration'),
('perpetual', 1, '{
  "feePercent": "1.5",
  "referrerPercent": "0.3",
  "currencies": ["KES", "NGN", "UGX", "GHS", "ETB", "CDF"],
  "cooldownDays": 7,
  "holdDays": 0,
  "minClaimUsd": "0.000001"
}', 'migration');
