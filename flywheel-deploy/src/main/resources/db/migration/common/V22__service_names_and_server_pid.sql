-- Deploy: a service may have a name of its own (models deploy --as demand-v1), unique when given, usable wherever a
-- service id is; the server's pid is kept beside the supervisor's (pid) so both show in describe.
ALTER TABLE services ADD COLUMN name TEXT;
ALTER TABLE services ADD COLUMN server_pid BIGINT;
CREATE UNIQUE INDEX services_by_name ON services (name) WHERE name IS NOT NULL;
