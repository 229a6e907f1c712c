-- Store migrations take numbers 100-199 (see docs/architecture.md, "Migration numbers").
-- The local secrets store: each secret's values as one AES-256-GCM ciphertext of their JSON, under a key kept in a
-- file only the project's owner can read (never in this database). Key names stay readable for listing; values
-- never are. key_id names the key a row was written with, so a wrong key file is reported as such. Nonce and
-- ciphertext are base64 text: the one column type SQLite and PostgreSQL share for bytes.
CREATE TABLE secrets (
    name       TEXT PRIMARY KEY,
    keys_json  TEXT NOT NULL,
    key_id     TEXT NOT NULL,
    nonce      TEXT NOT NULL,
    ciphertext TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
