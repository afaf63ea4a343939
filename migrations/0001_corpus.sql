-- copydesk's shared corpus, schema version 1.
--
-- Content is stored once per file version, keyed by the XXH3 hash of the file's bytes
-- (copydesk_blobs and the tables hanging off it); a corpus version (copydesk_versions) lists
-- the documents of one publish by id, with their paths and metadata, and the document
-- frequency of every term over its sentences. Readers pin the newest completed version, so a
-- publish that stops halfway leaves them on the last complete one.

create table copydesk_blobs (
    hash bigint primary key,           -- XXH3-64 of the file's bytes (as a signed 64-bit integer)
    size bigint not null,
    text text not null,                -- the decoded text copydesk reads
    sentences integer not null,
    total_length bigint not null       -- content words over all sentences (BM25 lengths)
);

-- One row per (sentence, term): copydesk's own analyser (the terms BM25 ranks by), so that
-- retrieval here ranks exactly as the embedded index does.
create table copydesk_postings (
    term bigint not null,              -- FNV-1a hash of the term (words::term_hash)
    blob bigint not null references copydesk_blobs (hash) on delete cascade,
    sentence integer not null,         -- the sentence's index in its document
    tf smallint not null,              -- occurrences in the sentence, at most 127
    length integer not null,           -- content words in the sentence
    primary key (term, blob, sentence) include (tf, length)
);
create index copydesk_postings_blob on copydesk_postings (blob);

-- Paragraphs, with a full-text vector for ad hoc search and other tools.
create table copydesk_passages (
    blob bigint not null references copydesk_blobs (hash) on delete cascade,
    paragraph integer not null,
    text text not null,
    tsv tsvector generated always as (to_tsvector('english', text)) stored,
    primary key (blob, paragraph)
);
create index copydesk_passages_tsv on copydesk_passages using gin (tsv);

-- The figures copydesk extracts from each paragraph, by normalised value and unit.
create table copydesk_figures (
    blob bigint not null references copydesk_blobs (hash) on delete cascade,
    paragraph integer not null,
    start_byte integer not null,       -- where the mention starts in the document's text
    end_byte integer not null,
    value double precision not null,
    high double precision,
    unit text not null,
    bound text not null,
    mention text not null
);
create index copydesk_figures_blob on copydesk_figures (blob);
create index copydesk_figures_value on copydesk_figures (unit, value);

create table copydesk_versions (
    id serial primary key,
    started timestamptz not null default now(),
    completed timestamptz,             -- null until the version's last transaction commits
    documents integer not null default 0,
    sentences bigint not null default 0,
    total_length bigint not null default 0,
    bytes bigint not null default 0
);

create table copydesk_documents (
    version integer not null references copydesk_versions (id) on delete cascade,
    id integer not null,               -- document id: the order of the paths, as the embedded index
    path text not null,
    disk_path text,
    format text not null,
    title text not null,
    url text,
    publisher text,
    date text,
    author text,
    size bigint not null,
    mtime_ns bigint not null,
    hash bigint not null references copydesk_blobs (hash),
    first_sentence bigint not null,    -- the global id of its first sentence
    primary key (version, id)
);
create index copydesk_documents_hash on copydesk_documents (hash);

create table copydesk_terms (
    version integer not null references copydesk_versions (id) on delete cascade,
    term bigint not null,
    df integer not null,               -- sentences of the version holding the term
    primary key (version, term)
);
