-- Expedited cases first in the queue: urgency is 0 for an expedited case still open (neither
-- ineligible nor its letter issued: one awaiting assignment has no deadline yet and would
-- otherwise sort last), 1 for every other, and the queue sorts on it before the due date. The
-- cases already stored get it here; every later write sets it with the other queue columns.
ALTER TABLE cases ADD COLUMN urgency INTEGER NOT NULL DEFAULT 1;
UPDATE cases SET urgency = 0
    WHERE priority = 'Expedited' AND status NOT IN ('ineligible', 'letter_issued');
DROP INDEX cases_queue;
CREATE INDEX cases_queue ON cases (urgency, due_order, number, status, priority, reviewer_id,
    received_at, due_kind, due_at, items, worker, claim_number, search_text);
