-- Model file, provenance and data locations become relative to the artifact store's root (issue 11, item 7), as
-- V2 did for artifacts: a local blob's name is its sha256, so blobs/<first 2>/<sha256> follows from the recorded hash.
-- Portable SQL (SQLite and PostgreSQL).
UPDATE model_versions SET model_uri = 'blobs/' || substr(model_sha256, 1, 2) || '/' || model_sha256
    WHERE model_uri LIKE 'file:%';
UPDATE model_versions SET provenance_uri = 'blobs/' || substr(provenance_sha256, 1, 2) || '/' || provenance_sha256
    WHERE provenance_uri LIKE 'file:%';
UPDATE model_version_data SET uri = 'blobs/' || substr(sha256, 1, 2) || '/' || sha256 WHERE uri LIKE 'file:%';
