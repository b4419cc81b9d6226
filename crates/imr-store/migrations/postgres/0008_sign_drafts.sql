-- A reviewer's sign form kept as they type it (PostgreSQL): one draft per case and user, the
-- form's fields as URL-encoded text. A draft is never signed by itself; the write that signs the
-- case deletes its drafts. Times are civil date-times in California, as the audit log's.
CREATE TABLE sign_drafts (
    case_number TEXT NOT NULL REFERENCES cases (number),
    user_id     BIGINT NOT NULL REFERENCES users (id),
    form        TEXT NOT NULL,
    saved_at    TEXT NOT NULL,
    PRIMARY KEY (case_number, user_id)
);
