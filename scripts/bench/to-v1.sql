-- Benchmark tooling only: turns a copy of a current MEDK database into the schema of the release
-- before the storage rework (migration v1_foundation alone), so that the previous `medk` can be
-- measured on exactly the same data. Never run this on a real database.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE items_v1 (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    kind TEXT NOT NULL CHECK (kind IN ('risk_profile','development_concept','midterm_programme','antirisk_programme','roadmap','analytical_note','order','protocol','agreement','interim_report','final_report','measure_report')),
    school_id INTEGER REFERENCES schools(id),
    municipality_id INTEGER REFERENCES municipalities(id),
    risk_factor_id INTEGER REFERENCES risk_factors(id),
    measure_id INTEGER REFERENCES measures(id),
    title TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft','submitted','confirmed','returned')),
    revision INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    updated_at TEXT NOT NULL,
    first_submitted_at TEXT,
    submitted_at TEXT,
    submitted_by INTEGER REFERENCES users(id),
    decided_at TEXT,
    decided_by INTEGER REFERENCES users(id),
    confirmed_version INTEGER,
    CHECK ((school_id IS NULL) <> (municipality_id IS NULL)),
    CHECK ((kind = 'antirisk_programme') = (risk_factor_id IS NOT NULL)),
    CHECK ((kind = 'measure_report') = (measure_id IS NOT NULL))
);
INSERT INTO items_v1 SELECT id, campaign_id, kind, school_id, CASE WHEN school_id IS NULL THEN municipality_id END, risk_factor_id,
    measure_id, title, state, revision, created_at, created_by, updated_at, first_submitted_at, submitted_at, submitted_by,
    decided_at, decided_by, confirmed_version FROM items;
DROP TABLE items;
ALTER TABLE items_v1 RENAME TO items;
CREATE UNIQUE INDEX items_single_per_school ON items(campaign_id, school_id, kind)
    WHERE school_id IS NOT NULL AND kind IN ('risk_profile','development_concept','midterm_programme','roadmap','interim_report','final_report');
CREATE UNIQUE INDEX items_single_per_municipality ON items(campaign_id, municipality_id, kind)
    WHERE municipality_id IS NOT NULL AND kind IN ('risk_profile','development_concept','midterm_programme','roadmap','interim_report','final_report');
CREATE UNIQUE INDEX items_antirisk_per_factor ON items(campaign_id, school_id, risk_factor_id) WHERE kind = 'antirisk_programme';
CREATE UNIQUE INDEX items_report_per_measure ON items(measure_id) WHERE kind = 'measure_report';
CREATE INDEX items_school ON items(school_id, campaign_id);
CREATE INDEX items_municipality ON items(municipality_id, campaign_id);
CREATE INDEX items_state ON items(state, submitted_at);

CREATE TABLE measures_v1 (
    id INTEGER PRIMARY KEY,
    roadmap_id INTEGER NOT NULL REFERENCES items(id),
    position INTEGER NOT NULL,
    risk_factor_id INTEGER REFERENCES risk_factors(id),
    track INTEGER CHECK (track IN (1, 2, 3)),
    task TEXT NOT NULL,
    title TEXT NOT NULL,
    due_date TEXT NOT NULL,
    responsible TEXT NOT NULL,
    expected_result TEXT NOT NULL,
    indicator TEXT NOT NULL,
    planned_value TEXT NOT NULL,
    actual_value TEXT,
    regional_measure TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
INSERT INTO measures_v1 SELECT id, roadmap_id, position, risk_factor_id, track, task, title, due_date, responsible, expected_result,
    indicator, planned_value, actual_value, regional_measure, created_at, updated_at FROM measures;
DROP TABLE measures;
ALTER TABLE measures_v1 RENAME TO measures;
CREATE INDEX measures_roadmap ON measures(roadmap_id, position);

DROP TABLE school_progress;
DROP TABLE IF EXISTS open_measure_days;
DROP TABLE IF EXISTS item_tallies;
DROP INDEX IF EXISTS curator_assignments_school;
DELETE FROM grdb_migrations WHERE identifier <> 'v1_foundation';
COMMIT;
PRAGMA foreign_keys = ON;
PRAGMA foreign_key_check;
ANALYZE;
VACUUM;
