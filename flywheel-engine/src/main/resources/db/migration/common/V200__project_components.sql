-- Engine migrations take numbers 200-299 (see docs/architecture.md, "Migration numbers").
-- The metadata store is chosen by the project's bootstrap file (.flywheel/project.properties), not by stacks: it
-- holds the stack tables, so it must be known before they can be read.
DELETE FROM stack_members WHERE kind = 'METADATA_STORE';
DELETE FROM stack_components WHERE kind = 'METADATA_STORE';

-- Components of project-wide kinds (the secrets store): one per kind, used by every stack.
CREATE TABLE project_components (
    kind      TEXT PRIMARY KEY,
    component TEXT NOT NULL,
    FOREIGN KEY (kind, component) REFERENCES stack_components (kind, name)
);
