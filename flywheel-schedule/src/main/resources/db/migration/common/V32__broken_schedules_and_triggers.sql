-- A schedule or trigger the scheduler could not plan or check (a bad stored value, an error in its trigger): it is
-- skipped, with the reason, until someone updates, resumes or deletes it; the scheduler keeps firing the others.
ALTER TABLE schedules ADD COLUMN broken_reason TEXT;
ALTER TABLE schedules ADD COLUMN broken_at BIGINT;
ALTER TABLE triggers ADD COLUMN broken_reason TEXT;
ALTER TABLE triggers ADD COLUMN broken_at BIGINT;
