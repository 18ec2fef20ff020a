-- The canonical current schema of MEDK, produced by the migrations in Sources/MEDKCore/Storage/Migrations.swift.
-- Do not edit by hand: run `MEDK_WRITE_SCHEMA=1 swift test --filter schemaFileIsCurrent`.

CREATE TABLE audit_keys (
    key_id TEXT PRIMARY KEY,
    from_seq INTEGER NOT NULL UNIQUE
);

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER,
    actor_login TEXT NOT NULL,
    actor_role TEXT,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT,
    from_state TEXT,
    to_state TEXT,
    comment TEXT,
    details TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TABLE campaign_schools (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    school_id INTEGER NOT NULL REFERENCES schools(id),
    PRIMARY KEY (campaign_id, school_id)
) WITHOUT ROWID;

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    year INTEGER NOT NULL
);

CREATE TABLE compliance_revisions (
    municipality_id INTEGER PRIMARY KEY REFERENCES municipalities(id),
    revision INTEGER NOT NULL
);

CREATE TABLE curator_assignments (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    school_id INTEGER NOT NULL REFERENCES schools(id),
    curator_id INTEGER NOT NULL REFERENCES users(id),
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (campaign_id, school_id, curator_id),
    FOREIGN KEY (campaign_id, school_id) REFERENCES campaign_schools(campaign_id, school_id)
) WITHOUT ROWID;

CREATE TABLE form_drafts (
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    body TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE identification_entries (
    list_id INTEGER NOT NULL REFERENCES identification_lists(id),
    school_id INTEGER NOT NULL REFERENCES schools(id),
    results_index REAL,
    social_index REAL,
    results_noise REAL,
    school_group TEXT CHECK (school_group IN ('effective', 'struggling', 'deprived', 'resilient')),
    low_results INTEGER CHECK (low_results IN (0, 1)),
    uncertain INTEGER NOT NULL CHECK (uncertain IN (0, 1)),
    participants INTEGER NOT NULL,
    decision TEXT NOT NULL,
    social_decision TEXT NOT NULL,
    low_before INTEGER NOT NULL CHECK (low_before IN (0, 1)),
    hard_before INTEGER NOT NULL CHECK (hard_before IN (0, 1)),
    low_proposed INTEGER NOT NULL CHECK (low_proposed IN (0, 1)),
    hard_proposed INTEGER NOT NULL CHECK (hard_proposed IN (0, 1)),
    PRIMARY KEY (list_id, school_id)
) WITHOUT ROWID;

CREATE TABLE identification_lists (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions(id),
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    method_id INTEGER NOT NULL REFERENCES identification_methods(id),
    rules TEXT NOT NULL,
    data_batch INTEGER NOT NULL,
    inputs_sha256 TEXT NOT NULL,
    run_sha256 TEXT NOT NULL,
    results_cut REAL,
    social_cut REAL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'approved', 'discarded')),
    objections_until TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    decided_at TEXT,
    decided_by INTEGER REFERENCES users(id),
    CHECK ((state = 'draft') = (decided_at IS NULL))
);

CREATE TABLE identification_methods (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions(id),
    version INTEGER NOT NULL CHECK (version > 0),
    definition TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    UNIQUE (region_id, version),
    UNIQUE (region_id, sha256)
);

CREATE TABLE identification_objections (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES identification_lists(id),
    school_id INTEGER NOT NULL REFERENCES schools(id),
    author_id INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    low_wanted INTEGER NOT NULL CHECK (low_wanted IN (0, 1)),
    hard_wanted INTEGER NOT NULL CHECK (hard_wanted IN (0, 1)),
    state TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected')),
    decided_at TEXT,
    decided_by INTEGER REFERENCES users(id),
    decision_comment TEXT,
    CHECK ((state = 'pending') = (decided_at IS NULL))
);

CREATE TABLE indicator_facts (
    indicator_id INTEGER NOT NULL REFERENCES target_indicators(id),
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    value REAL NOT NULL,
    comment TEXT,
    entered_at TEXT NOT NULL,
    entered_by INTEGER REFERENCES users(id), evidence_item_id INTEGER REFERENCES items(id),
    PRIMARY KEY (indicator_id, year)
) WITHOUT ROWID;

CREATE TABLE indicator_plans (
    indicator_id INTEGER NOT NULL REFERENCES target_indicators(id),
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    target TEXT NOT NULL,
    PRIMARY KEY (indicator_id, year)
) WITHOUT ROWID;

CREATE TABLE item_files (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    version INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES users(id),
    uploaded_at TEXT NOT NULL,
    UNIQUE (item_id, version)
);

CREATE TABLE item_tallies (
    region_id INTEGER NOT NULL,
    municipality_id INTEGER NOT NULL,
    campaign_id INTEGER NOT NULL,
    owner INTEGER NOT NULL CHECK (owner IN (0, 1, 2)),
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    item_count INTEGER NOT NULL CHECK (item_count > 0),
    PRIMARY KEY (region_id, municipality_id, campaign_id, owner, kind, state)
) WITHOUT ROWID;

CREATE TABLE "items" (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    kind TEXT NOT NULL CHECK (kind IN ('risk_profile','development_concept','midterm_programme','antirisk_programme','roadmap','analytical_note','order','protocol','agreement','interim_report','final_report','measure_report')),
    school_id INTEGER REFERENCES schools(id),
    municipality_id INTEGER REFERENCES municipalities(id),
    region_id INTEGER NOT NULL REFERENCES regions(id),
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
    first_confirmed_at TEXT,
    confirmed_version INTEGER,
    CHECK ((kind = 'antirisk_programme') = (risk_factor_id IS NOT NULL)),
    CHECK ((kind = 'measure_report') = (measure_id IS NOT NULL))
);

CREATE TABLE login_devices (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    last_signed_in_ms INTEGER NOT NULL
);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL,
    address TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    settled INTEGER NOT NULL DEFAULT 0 CHECK (settled IN (0, 1))
, device_id INTEGER);

CREATE TABLE mail_lease (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    holder TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    dedupe_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    letter TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'uncertain', 'skipped', 'expired')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    finished_at TEXT,
    address TEXT,
    last_error TEXT
, unsubscribe_hash TEXT);

CREATE TABLE "mail_preferences" (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    disabled_kinds TEXT NOT NULL DEFAULT '',
    digest_weekday INTEGER NOT NULL DEFAULT 1 CHECK (digest_weekday BETWEEN 1 AND 7)
);

CREATE TABLE "measures" (
    id INTEGER PRIMARY KEY,
    roadmap_id INTEGER NOT NULL REFERENCES items(id),
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    school_id INTEGER REFERENCES schools(id),
    municipality_id INTEGER REFERENCES municipalities(id),
    region_id INTEGER NOT NULL REFERENCES regions(id),
    position INTEGER NOT NULL,
    risk_factor_id INTEGER REFERENCES risk_factors(id),
    track INTEGER CHECK (track IN (1, 2, 3)),
    task TEXT NOT NULL,
    title TEXT NOT NULL,
    due_date TEXT,
    responsible TEXT NOT NULL,
    expected_result TEXT NOT NULL,
    indicator TEXT NOT NULL,
    planned_value TEXT NOT NULL,
    actual_value TEXT,
    regional_measure TEXT,
    report_first_confirmed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deadline_text TEXT,
    recurrence TEXT,
    series_id INTEGER,
    stage TEXT,
    goal TEXT,
    section TEXT,
    normative_document TEXT
, regional_measure_id INTEGER REFERENCES measures(id), committed_at TEXT);

CREATE TABLE milestone_overrides (
    milestone_id INTEGER NOT NULL REFERENCES milestones(id),
    region_id INTEGER NOT NULL REFERENCES regions(id),
    due_date TEXT NOT NULL,
    PRIMARY KEY (milestone_id, region_id)
) WITHOUT ROWID;

CREATE TABLE milestones (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    kind TEXT NOT NULL CHECK (kind IN ('risk_profile','development_concept','midterm_programme','antirisk_programme','roadmap','analytical_note','order','protocol','agreement','interim_report','final_report','measure_report')),
    title TEXT NOT NULL,
    due_date TEXT NOT NULL,
    UNIQUE (campaign_id, kind)
);

CREATE TABLE municipalities (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions(id),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE open_measure_days (
    campaign_id INTEGER NOT NULL,
    region_id INTEGER NOT NULL,
    due_date TEXT NOT NULL,
    open_count INTEGER NOT NULL CHECK (open_count > 0),
    PRIMARY KEY (campaign_id, region_id, due_date)
) WITHOUT ROWID;

CREATE TABLE package_evaluation_scores (
    evaluation_id INTEGER NOT NULL REFERENCES package_evaluations(id),
    position TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 2),
    comment TEXT NOT NULL,
    PRIMARY KEY (evaluation_id, position)
) WITHOUT ROWID;

CREATE TABLE package_evaluations (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    region_id INTEGER NOT NULL REFERENCES regions(id),
    version INTEGER NOT NULL CHECK (version > 0),
    evaluated_at TEXT NOT NULL,
    evaluator_id INTEGER NOT NULL REFERENCES users(id),
    evaluator_role TEXT NOT NULL CHECK (evaluator_role IN ('school','curator','municipal','regional','federal','admin')),
    total INTEGER NOT NULL,
    maximum INTEGER NOT NULL,
    findings TEXT NOT NULL,
    UNIQUE (campaign_id, municipality_id, version)
);

CREATE TABLE region_reminder_settings (
    region_id INTEGER PRIMARY KEY REFERENCES regions(id),
    days_before TEXT NOT NULL,
    review_working_days INTEGER NOT NULL,
    escalation_days TEXT NOT NULL
);

CREATE TABLE regions (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL
);

CREATE TABLE remarks (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    text TEXT NOT NULL,
    returned_at TEXT NOT NULL,
    returned_by INTEGER NOT NULL REFERENCES users(id),
    answer TEXT CHECK (answer IN ('done', 'declined')),
    answer_text TEXT,
    answered_at TEXT,
    answered_by INTEGER REFERENCES users(id),
    closed_at TEXT,
    closed_by INTEGER REFERENCES users(id),
    CHECK ((answer IS NULL) = (answered_at IS NULL))
);

CREATE TABLE reminder_plans (
    region_id INTEGER NOT NULL REFERENCES regions(id),
    plan_date TEXT NOT NULL,
    planned_at TEXT NOT NULL,
    PRIMARY KEY (region_id, plan_date)
) WITHOUT ROWID;

CREATE TABLE results_imports (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('components', 'social')),
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by INTEGER REFERENCES users(id)
);

CREATE TABLE review_rounds (
    item_id INTEGER NOT NULL REFERENCES items(id),
    round INTEGER NOT NULL CHECK (round > 0),
    campaign_id INTEGER NOT NULL,
    region_id INTEGER NOT NULL,
    municipality_id INTEGER,
    school_id INTEGER,
    submitted_at TEXT NOT NULL,
    closed_at TEXT,
    closed_by INTEGER REFERENCES users(id),
    outcome TEXT CHECK (outcome IN ('confirmed', 'returned', 'withdrawn')),
    wait_seconds INTEGER,
    CHECK ((closed_at IS NULL) = (outcome IS NULL)),
    PRIMARY KEY (item_id, round)
) WITHOUT ROWID;

CREATE TABLE risk_factors (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    UNIQUE (campaign_id, number)
);

CREATE TABLE risk_profile_entries (
    item_id INTEGER NOT NULL REFERENCES items(id),
    risk_factor_id INTEGER NOT NULL REFERENCES risk_factors(id),
    significance TEXT NOT NULL CHECK (significance IN ('high','medium','low')),
    chosen INTEGER NOT NULL DEFAULT 0 CHECK (chosen IN (0, 1)),
    PRIMARY KEY (item_id, risk_factor_id)
) WITHOUT ROWID;

CREATE TABLE school_progress (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    school_id INTEGER NOT NULL REFERENCES schools(id),
    digest BLOB NOT NULL,
    UNIQUE (campaign_id, school_id)
);

CREATE TABLE school_results (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    exam TEXT NOT NULL CHECK (exam IN ('ege', 'oge', 'vpr4')),
    subject TEXT NOT NULL CHECK (subject IN ('russian', 'mathematics')),
    mean REAL NOT NULL,
    participants INTEGER NOT NULL CHECK (participants >= 0),
    valid_from INTEGER NOT NULL REFERENCES results_imports(id),
    valid_to INTEGER REFERENCES results_imports(id),
    PRIMARY KEY (school_id, year, exam, subject, valid_from),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
) WITHOUT ROWID;

CREATE TABLE school_social (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    indicator TEXT NOT NULL,
    value REAL NOT NULL,
    valid_from INTEGER NOT NULL REFERENCES results_imports(id),
    valid_to INTEGER REFERENCES results_imports(id),
    PRIMARY KEY (school_id, year, indicator, valid_from),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
) WITHOUT ROWID;

CREATE TABLE schools (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    low_results INTEGER NOT NULL DEFAULT 0 CHECK (low_results IN (0, 1)),
    hard_social INTEGER NOT NULL DEFAULT 0 CHECK (hard_social IN (0, 1)),
    programme_years TEXT NOT NULL DEFAULT ''
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
, last_seen_at TEXT);

CREATE TABLE staged_imports (
    token TEXT PRIMARY KEY,
    owner_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    staged_at TEXT NOT NULL,
    data BLOB NOT NULL
);

CREATE TABLE target_indicators (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions(id),
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('positiveDynamics', 'confirmedRoadmaps', 'leftLowResults', 'entered')),
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    UNIQUE (region_id, code)
);

CREATE TABLE user_roles (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL CHECK (role IN ('school','curator','municipal','regional','federal','admin')),
    region_id INTEGER REFERENCES regions(id),
    municipality_id INTEGER REFERENCES municipalities(id),
    school_id INTEGER REFERENCES schools(id),
    CHECK ((region_id IS NOT NULL) + (municipality_id IS NOT NULL) + (school_id IS NOT NULL) <= 1)
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE COLLATE NOCASE,
    full_name TEXT NOT NULL,
    email TEXT,
    password_hash TEXT,
    is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL
);

CREATE INDEX audit_log_entity ON audit_log(entity_type, entity_id, seq);

CREATE INDEX curator_assignments_curator ON curator_assignments(curator_id);

CREATE INDEX curator_assignments_school ON curator_assignments(school_id, campaign_id);

CREATE INDEX form_drafts_created ON form_drafts(created_at);

CREATE INDEX form_drafts_user ON form_drafts(user_id, created_at);

CREATE UNIQUE INDEX identification_lists_one_draft ON identification_lists(region_id) WHERE state = 'draft';

CREATE INDEX identification_lists_region ON identification_lists(region_id, year, id);

CREATE INDEX identification_objections_list ON identification_objections(list_id, school_id, id);

CREATE INDEX item_tallies_municipality ON item_tallies(municipality_id);

CREATE UNIQUE INDEX items_antirisk_per_factor ON items(campaign_id, school_id, risk_factor_id)
    WHERE kind = 'antirisk_programme';

CREATE INDEX items_campaign ON items(campaign_id, state, submitted_at);

CREATE UNIQUE INDEX items_measure ON items(measure_id);

CREATE INDEX items_municipal_roadmaps ON items(campaign_id, region_id) WHERE school_id IS NULL AND kind = 'roadmap';

CREATE INDEX items_municipality ON items(municipality_id, state, campaign_id);

CREATE INDEX items_region ON items(region_id, state, campaign_id);

CREATE INDEX items_region_newest ON items(region_id);

CREATE INDEX items_regional_documents ON items(region_id, id) WHERE school_id IS NULL AND municipality_id IS NULL;

CREATE INDEX items_school ON items(school_id, state, campaign_id);

CREATE UNIQUE INDEX items_single_per_municipality ON items(campaign_id, municipality_id, kind)
    WHERE school_id IS NULL AND kind IN ('risk_profile','development_concept','midterm_programme','roadmap','interim_report','final_report');

CREATE UNIQUE INDEX items_single_per_region ON items(campaign_id, region_id, kind)
    WHERE school_id IS NULL AND municipality_id IS NULL AND kind IN ('risk_profile','development_concept','midterm_programme','roadmap','interim_report','final_report');

CREATE UNIQUE INDEX items_single_per_school ON items(campaign_id, school_id, kind)
    WHERE school_id IS NOT NULL AND kind IN ('risk_profile','development_concept','midterm_programme','roadmap','interim_report','final_report');

CREATE INDEX items_title ON items(title, id);

CREATE INDEX items_updated ON items(updated_at, id);

CREATE INDEX login_devices_user ON login_devices(user_id, last_signed_in_ms);

CREATE INDEX login_failures_address ON login_failures(address, at_ms);

CREATE INDEX login_failures_at ON login_failures(at_ms);

CREATE INDEX login_failures_device ON login_failures(device_id, at_ms) WHERE device_id IS NOT NULL;

CREATE INDEX login_failures_login ON login_failures(login, address, at_ms);

CREATE INDEX mail_outbox_due ON mail_outbox(next_attempt_at) WHERE state = 'pending';

CREATE INDEX mail_outbox_unsettled ON mail_outbox(state, created_at)
    WHERE state IN ('pending', 'sending', 'failed', 'uncertain');

CREATE UNIQUE INDEX mail_outbox_unsubscribe ON mail_outbox(unsubscribe_hash) WHERE unsubscribe_hash IS NOT NULL;

CREATE INDEX mail_outbox_user ON mail_outbox(user_id);

CREATE INDEX measures_confirmed ON measures(region_id, campaign_id, report_first_confirmed_at, due_date, municipality_id,
    committed_at) WHERE report_first_confirmed_at IS NOT NULL;

CREATE INDEX measures_open_by_campaign ON measures(campaign_id, due_date, report_first_confirmed_at)
    WHERE report_first_confirmed_at IS NULL AND committed_at IS NOT NULL;

CREATE INDEX measures_open_by_municipality ON measures(municipality_id, campaign_id, due_date, report_first_confirmed_at,
    committed_at) WHERE report_first_confirmed_at IS NULL AND committed_at IS NOT NULL;

CREATE INDEX measures_open_by_place ON measures(campaign_id, region_id, ifnull(municipality_id, 0), ifnull(school_id, 0),
    due_date, report_first_confirmed_at) WHERE report_first_confirmed_at IS NULL AND committed_at IS NOT NULL;

CREATE INDEX measures_open_by_region ON measures(region_id, campaign_id, due_date, report_first_confirmed_at, committed_at)
    WHERE report_first_confirmed_at IS NULL AND committed_at IS NOT NULL;

CREATE INDEX measures_open_by_school ON measures(school_id, campaign_id, due_date, report_first_confirmed_at)
    WHERE report_first_confirmed_at IS NULL AND committed_at IS NOT NULL;

CREATE INDEX measures_regional_measure ON measures(regional_measure_id);

CREATE INDEX measures_roadmap ON measures(roadmap_id, position);

CREATE INDEX measures_school ON measures(school_id, campaign_id);

CREATE INDEX municipalities_region ON municipalities(region_id);

CREATE INDEX package_evaluations_region ON package_evaluations(campaign_id, region_id, municipality_id, version);

CREATE INDEX remarks_item ON remarks(item_id, id);

CREATE INDEX review_rounds_closed
    ON review_rounds(closed_at, campaign_id, outcome, closed_by, wait_seconds, region_id) WHERE closed_at IS NOT NULL;

CREATE INDEX review_rounds_open
    ON review_rounds(region_id, submitted_at, campaign_id, municipality_id, school_id, closed_at) WHERE closed_at IS NULL;

CREATE INDEX review_rounds_region_closed
    ON review_rounds(region_id, closed_at, municipality_id, campaign_id, outcome, closed_by, wait_seconds) WHERE closed_at IS NOT NULL;

CREATE UNIQUE INDEX school_results_current ON school_results(school_id, year, exam, subject) WHERE valid_to IS NULL;

CREATE UNIQUE INDEX school_social_current ON school_social(school_id, year, indicator) WHERE valid_to IS NULL;

CREATE INDEX schools_municipality ON schools(municipality_id);

CREATE INDEX sessions_user ON sessions(user_id);

CREATE INDEX staged_imports_age ON staged_imports(staged_at);

CREATE INDEX staged_imports_owner ON staged_imports(owner_id, staged_at);

CREATE INDEX user_roles_municipality ON user_roles(municipality_id) WHERE municipality_id IS NOT NULL;

CREATE INDEX user_roles_role ON user_roles(role, region_id);

CREATE INDEX user_roles_school ON user_roles(school_id) WHERE school_id IS NOT NULL;

CREATE UNIQUE INDEX user_roles_unique ON user_roles(
    user_id, role, ifnull(region_id, 0), ifnull(municipality_id, 0), ifnull(school_id, 0));

CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TRIGGER campaign_schools_compliance_deleted AFTER DELETE ON campaign_schools BEGIN INSERT INTO compliance_revisions (municipality_id, revision) SELECT municipality_id, 1 FROM schools WHERE id = OLD.school_id ON CONFLICT (municipality_id) DO UPDATE SET revision = revision + 1; END;

CREATE TRIGGER campaign_schools_compliance_inserted AFTER INSERT ON campaign_schools BEGIN INSERT INTO compliance_revisions (municipality_id, revision) SELECT municipality_id, 1 FROM schools WHERE id = NEW.school_id ON CONFLICT (municipality_id) DO UPDATE SET revision = revision + 1; END;

CREATE TRIGGER item_files_immutable BEFORE UPDATE ON item_files
BEGIN SELECT RAISE(ABORT, 'file versions are immutable'); END;

CREATE TRIGGER item_files_undeletable BEFORE DELETE ON item_files
BEGIN SELECT RAISE(ABORT, 'file versions are immutable'); END;

CREATE TRIGGER items_tally_delete AFTER DELETE ON items BEGIN
    DELETE FROM item_tallies WHERE region_id = OLD.region_id AND municipality_id = ifnull(OLD.municipality_id, 0) AND campaign_id = OLD.campaign_id
        AND owner = CASE WHEN OLD.school_id IS NOT NULL THEN 0 WHEN OLD.municipality_id IS NOT NULL THEN 1 ELSE 2 END AND kind = OLD.kind AND state = OLD.state AND item_count = 1;
    UPDATE item_tallies SET item_count = item_count - 1 WHERE region_id = OLD.region_id AND municipality_id = ifnull(OLD.municipality_id, 0) AND campaign_id = OLD.campaign_id
        AND owner = CASE WHEN OLD.school_id IS NOT NULL THEN 0 WHEN OLD.municipality_id IS NOT NULL THEN 1 ELSE 2 END AND kind = OLD.kind AND state = OLD.state;
END;

CREATE TRIGGER items_tally_insert AFTER INSERT ON items BEGIN
    INSERT INTO item_tallies (region_id, municipality_id, campaign_id, owner, kind, state, item_count)
        VALUES (NEW.region_id, ifnull(NEW.municipality_id, 0), NEW.campaign_id, CASE WHEN NEW.school_id IS NOT NULL THEN 0 WHEN NEW.municipality_id IS NOT NULL THEN 1 ELSE 2 END, NEW.kind, NEW.state, 1)
        ON CONFLICT (region_id, municipality_id, campaign_id, owner, kind, state) DO UPDATE SET item_count = item_count + 1;
END;

CREATE TRIGGER items_tally_update AFTER UPDATE OF region_id, municipality_id, campaign_id, school_id, kind, state ON items
WHEN OLD.region_id IS NOT NEW.region_id OR OLD.municipality_id IS NOT NEW.municipality_id
    OR OLD.campaign_id IS NOT NEW.campaign_id OR (OLD.school_id IS NULL) IS NOT (NEW.school_id IS NULL)
    OR OLD.kind IS NOT NEW.kind OR OLD.state IS NOT NEW.state BEGIN
    DELETE FROM item_tallies WHERE region_id = OLD.region_id AND municipality_id = ifnull(OLD.municipality_id, 0) AND campaign_id = OLD.campaign_id
        AND owner = CASE WHEN OLD.school_id IS NOT NULL THEN 0 WHEN OLD.municipality_id IS NOT NULL THEN 1 ELSE 2 END AND kind = OLD.kind AND state = OLD.state AND item_count = 1;
    UPDATE item_tallies SET item_count = item_count - 1 WHERE region_id = OLD.region_id AND municipality_id = ifnull(OLD.municipality_id, 0) AND campaign_id = OLD.campaign_id
        AND owner = CASE WHEN OLD.school_id IS NOT NULL THEN 0 WHEN OLD.municipality_id IS NOT NULL THEN 1 ELSE 2 END AND kind = OLD.kind AND state = OLD.state;
    INSERT INTO item_tallies (region_id, municipality_id, campaign_id, owner, kind, state, item_count)
        VALUES (NEW.region_id, ifnull(NEW.municipality_id, 0), NEW.campaign_id, CASE WHEN NEW.school_id IS NOT NULL THEN 0 WHEN NEW.municipality_id IS NOT NULL THEN 1 ELSE 2 END, NEW.kind, NEW.state, 1)
        ON CONFLICT (region_id, municipality_id, campaign_id, owner, kind, state) DO UPDATE SET item_count = item_count + 1;
END;

CREATE TRIGGER measures_compliance_deleted AFTER DELETE ON measures BEGIN INSERT INTO compliance_revisions (municipality_id, revision) SELECT coalesce(OLD.municipality_id, (SELECT min(id) FROM municipalities WHERE region_id = OLD.region_id)), 1 WHERE true ON CONFLICT (municipality_id) DO UPDATE SET revision = revision + 1; END;

CREATE TRIGGER measures_compliance_inserted AFTER INSERT ON measures BEGIN INSERT INTO compliance_revisions (municipality_id, revision) SELECT coalesce(NEW.municipality_id, (SELECT min(id) FROM municipalities WHERE region_id = NEW.region_id)), 1 WHERE true ON CONFLICT (municipality_id) DO UPDATE SET revision = revision + 1; END;

CREATE TRIGGER measures_compliance_updated AFTER UPDATE ON measures BEGIN INSERT INTO compliance_revisions (municipality_id, revision) SELECT coalesce(NEW.municipality_id, (SELECT min(id) FROM municipalities WHERE region_id = NEW.region_id)), 1 WHERE true ON CONFLICT (municipality_id) DO UPDATE SET revision = revision + 1; END;

CREATE TRIGGER measures_open_days_delete AFTER DELETE ON measures
WHEN OLD.report_first_confirmed_at IS NULL AND OLD.due_date IS NOT NULL AND OLD.committed_at IS NOT NULL BEGIN
    DELETE FROM open_measure_days WHERE campaign_id = OLD.campaign_id AND region_id = OLD.region_id
        AND due_date = OLD.due_date AND open_count = 1;
    UPDATE open_measure_days SET open_count = open_count - 1 WHERE campaign_id = OLD.campaign_id
        AND region_id = OLD.region_id AND due_date = OLD.due_date;
END;

CREATE TRIGGER measures_open_days_insert AFTER INSERT ON measures
WHEN NEW.report_first_confirmed_at IS NULL AND NEW.due_date IS NOT NULL AND NEW.committed_at IS NOT NULL BEGIN
    INSERT INTO open_measure_days (campaign_id, region_id, due_date, open_count)
        VALUES (NEW.campaign_id, NEW.region_id, NEW.due_date, 1)
        ON CONFLICT (campaign_id, region_id, due_date) DO UPDATE SET open_count = open_count + 1;
END;

CREATE TRIGGER measures_open_days_update AFTER UPDATE OF campaign_id, region_id, due_date, report_first_confirmed_at, committed_at
ON measures
WHEN (OLD.report_first_confirmed_at IS NULL AND OLD.committed_at IS NOT NULL)
  OR (NEW.report_first_confirmed_at IS NULL AND NEW.committed_at IS NOT NULL) BEGIN
    DELETE FROM open_measure_days WHERE OLD.report_first_confirmed_at IS NULL AND OLD.committed_at IS NOT NULL
        AND campaign_id = OLD.campaign_id AND region_id = OLD.region_id AND due_date = OLD.due_date AND open_count = 1;
    UPDATE open_measure_days SET open_count = open_count - 1 WHERE OLD.report_first_confirmed_at IS NULL
        AND OLD.committed_at IS NOT NULL AND campaign_id = OLD.campaign_id AND region_id = OLD.region_id AND due_date = OLD.due_date;
    INSERT INTO open_measure_days (campaign_id, region_id, due_date, open_count)
        SELECT NEW.campaign_id, NEW.region_id, NEW.due_date, 1
        WHERE NEW.report_first_confirmed_at IS NULL AND NEW.due_date IS NOT NULL AND NEW.committed_at IS NOT NULL
        ON CONFLICT (campaign_id, region_id, due_date) DO UPDATE SET open_count = open_count + 1;
END;

CREATE TRIGGER municipalities_compliance_updated AFTER UPDATE ON municipalities BEGIN INSERT INTO compliance_revisions (municipality_id, revision) VALUES (NEW.id, 1) ON CONFLICT (municipality_id) DO UPDATE SET revision = revision + 1; END;

CREATE TRIGGER package_evaluation_scores_immutable BEFORE UPDATE ON package_evaluation_scores
BEGIN SELECT RAISE(ABORT, 'package evaluations are immutable'); END;

CREATE TRIGGER package_evaluation_scores_undeletable BEFORE DELETE ON package_evaluation_scores
BEGIN SELECT RAISE(ABORT, 'package evaluations are immutable'); END;

CREATE TRIGGER package_evaluations_immutable BEFORE UPDATE ON package_evaluations
BEGIN SELECT RAISE(ABORT, 'package evaluations are immutable'); END;

CREATE TRIGGER package_evaluations_undeletable BEFORE DELETE ON package_evaluations
BEGIN SELECT RAISE(ABORT, 'package evaluations are immutable'); END;

CREATE TRIGGER regions_compliance_updated AFTER UPDATE ON regions BEGIN
    INSERT INTO compliance_revisions (municipality_id, revision) SELECT id, 1 FROM municipalities WHERE region_id = NEW.id ON CONFLICT (municipality_id) DO UPDATE SET revision = revision + 1;
END;

CREATE TRIGGER review_round_decided AFTER UPDATE OF state ON items
WHEN OLD.state = 'submitted' AND NEW.state IN ('confirmed', 'returned') BEGIN
    UPDATE review_rounds SET closed_at = NEW.decided_at, closed_by = NEW.decided_by, outcome = NEW.state,
        wait_seconds = CAST(round((julianday(NEW.decided_at) - julianday(submitted_at)) * 86400) AS INTEGER)
    WHERE item_id = NEW.id AND closed_at IS NULL;
END;

CREATE TRIGGER review_round_opens AFTER UPDATE OF state ON items
WHEN NEW.state = 'submitted' AND OLD.state <> 'submitted' BEGIN
    INSERT INTO review_rounds (item_id, round, campaign_id, region_id, municipality_id, school_id, submitted_at)
    VALUES (NEW.id, (SELECT count(*) + 1 FROM review_rounds WHERE item_id = NEW.id), NEW.campaign_id, NEW.region_id,
            NEW.municipality_id, NEW.school_id, NEW.submitted_at);
END;

CREATE TRIGGER review_round_withdrawn AFTER UPDATE OF state ON items
WHEN OLD.state = 'submitted' AND NEW.state = 'draft' BEGIN
    UPDATE review_rounds SET closed_at = NEW.updated_at, outcome = 'withdrawn',
        wait_seconds = CAST(round((julianday(NEW.updated_at) - julianday(submitted_at)) * 86400) AS INTEGER)
    WHERE item_id = NEW.id AND closed_at IS NULL;
END;

CREATE TRIGGER roadmap_commits_measures AFTER UPDATE OF state ON items
WHEN NEW.kind = 'roadmap' AND NEW.state = 'submitted' AND OLD.state <> 'submitted' BEGIN
    UPDATE measures SET committed_at = NEW.updated_at WHERE roadmap_id = NEW.id AND committed_at IS NULL;
END;

CREATE TRIGGER school_progress_compliance_deleted AFTER DELETE ON school_progress BEGIN INSERT INTO compliance_revisions (municipality_id, revision) SELECT municipality_id, 1 FROM schools WHERE id = OLD.school_id ON CONFLICT (municipality_id) DO UPDATE SET revision = revision + 1; END;

CREATE TRIGGER school_progress_compliance_inserted AFTER INSERT ON school_progress BEGIN INSERT INTO compliance_revisions (municipality_id, revision) SELECT municipality_id, 1 FROM schools WHERE id = NEW.school_id ON CONFLICT (municipality_id) DO UPDATE SET revision = revision + 1; END;

CREATE TRIGGER school_progress_compliance_updated AFTER UPDATE ON school_progress BEGIN INSERT INTO compliance_revisions (municipality_id, revision) SELECT municipality_id, 1 FROM schools WHERE id = NEW.school_id ON CONFLICT (municipality_id) DO UPDATE SET revision = revision + 1; END;

CREATE TRIGGER schools_compliance_updated AFTER UPDATE ON schools BEGIN
    INSERT INTO compliance_revisions (municipality_id, revision) VALUES (OLD.municipality_id, 1) ON CONFLICT (municipality_id) DO UPDATE SET revision = revision + 1; INSERT INTO compliance_revisions (municipality_id, revision) VALUES (NEW.municipality_id, 1) ON CONFLICT (municipality_id) DO UPDATE SET revision = revision + 1;
END;
