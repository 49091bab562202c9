-- Version 11: the expected cost of what an approval request is for, in the budget currency, as
-- text (so that it reads back with its scale on every database); null when not known.
ALTER TABLE ${prefix}approval_requests ADD COLUMN IF NOT EXISTS cost VARCHAR(64);
