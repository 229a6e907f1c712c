-- Artifact locations become relative to the artifact store's root (issue 11, item 7). Rows written before held
-- absolute file: URIs, so a moved project lost its artifacts and a copied one read the original's blobs. A local
-- blob's name is its sha256, so the relative location follows from the recorded hash: blobs/<first 2>/<sha256>.
-- Portable SQL (SQLite and PostgreSQL).
UPDATE artifacts SET uri = 'blobs/' || substr(sha256, 1, 2) || '/' || sha256 WHERE uri LIKE 'file:%';
