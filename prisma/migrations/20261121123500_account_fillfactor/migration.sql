-- Hand-written: Prisma cannot express storage parameters.

-- A late apply rewrites the ancestors of two levels of the account's network in place. Those columns are not
-- indexed, so each row can be updated on its own page without touching an index (HOT) if the page has room:
-- keep 10 % of every page free for it. Applies to pages written from now on; an existing table gets it with
-- VACUUM FULL account (or pg_repack) during a quiet hour.
ALTER TABLE "account" SET (fillfactor = 90);
