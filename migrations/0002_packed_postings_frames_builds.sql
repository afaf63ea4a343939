-- copydesk's shared corpus, schema version 2.
--
-- 1. The build that published a version. Where a document's sentences fall is one build's
--    reading of its text, and the postings name sentences by index: a reader pins only a
--    version its own build published, and content is stored per build (a blob's key is its
--    content hash mixed with the build; the content hash itself is copydesk_documents.content).
-- 2. Each version's postings packed per term, in parts of 2^20 sentence ids: a search reads a
--    term's postings as one value and ranks in copydesk, instead of joining and grouping
--    rows in SQL (one index lookup per term instead of one row per posting).
-- 3. The figures' frames (what a figure counts and when) and the quotations with their
--    speakers, for other tools and for lookups by value and unit.

alter table copydesk_versions add column build text not null default '';

-- Each sentence's length in content words (4 bytes each, big-endian), so that a reader need
-- not count them again.
alter table copydesk_blobs add column lengths bytea;

alter table copydesk_documents add column content bigint;
update copydesk_documents set content = hash;
alter table copydesk_documents alter column content set not null;

-- Per posting, 10 bytes: the global sentence id (4, big-endian), the term's frequency in the
-- sentence (2) and the sentence's length in content words (4). Stored uncompressed: the
-- values are read whole and compress poorly.
create table copydesk_term_postings (
    version integer not null references copydesk_versions (id) on delete cascade,
    term bigint not null,
    part integer not null,             -- global sentence id >> 20
    postings bytea not null,
    primary key (version, term, part)
);
alter table copydesk_term_postings alter column postings set storage external;

-- Units and bounds are written as `copydesk extract` names them from this version on (`USD`,
-- `percent`, `year`; `approx`, `at-least`); content of earlier builds is not read again.
alter table copydesk_figures add column concept text not null default '';  -- the measure's words, nearest first
alter table copydesk_figures add column periods text not null default '';  -- the periods it is framed by: 2021, Q2, ...

create table copydesk_quotations (
    blob bigint not null references copydesk_blobs (hash) on delete cascade,
    paragraph integer not null,
    start_byte integer not null,       -- from the first opening mark to the last closing one
    end_byte integer not null,
    words text not null,               -- the quoted words (parts joined by " ... ")
    speaker text,                      -- as written, or the name a pronoun stands for
    speaker_kind text,
    sure boolean not null default false  -- the attribution right after or between the parts
);
create index copydesk_quotations_blob on copydesk_quotations (blob);
create index copydesk_quotations_speaker on copydesk_quotations (lower(speaker));
