-- Stacks: named components (orchestrator, artifact store, model deployer, metadata store) with their flavor and
-- settings, grouped into named stacks; one stack is active. Times are epoch milliseconds.
CREATE TABLE stack_components (
    kind          TEXT NOT NULL,
    name          TEXT NOT NULL,
    flavor        TEXT NOT NULL,
    settings_json TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (kind, name)
);

CREATE TABLE stacks (
    name       TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);

CREATE TABLE stack_members (
    stack     TEXT NOT NULL REFERENCES stacks (name) ON DELETE CASCADE,
    kind      TEXT NOT NULL,
    component TEXT NOT NULL,
    PRIMARY KEY (stack, kind),
    FOREIGN KEY (kind, component) REFERENCES stack_components (kind, name)
);

CREATE TABLE active_stack (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    stack TEXT NOT NULL REFERENCES stacks (name)
);
