import Foundation

/// MEDK's schema on PostgreSQL, versioned like SQLite's (`Migrations`), applied by `PGMigrator`.
///
/// PostgreSQL starts at SQLite's v22: its first version is today's whole schema, not a replay of
/// the SQLite history. The tables keep SQLite's value kinds — 64-bit integers, doubles, text with
/// instants as `2026-03-15 12:00:00.000` (UTC), bytes — so that both backends give the same answers
/// and a database moves from one to the other row for row. The derived tallies SQLite keeps by
/// triggers are kept by the same triggers here, in PL/pgSQL.
enum PGSchema {
    struct Migration: Sendable {
        var version: Int
        var name: String
        var sql: String
    }

    static let migrations: [Migration] = [
        Migration(version: 1, name: "medk_v22", sql: foundation + triggers),
        Migration(version: 2, name: "mail_lease", sql: Migrations.mailLease),
        Migration(version: 3, name: "shared_files", sql: Migrations.stagedImports(bytes: "bytea") + files),
        // Writers lock the chain with an advisory lock and read the log's last row instead of
        // updating one row each (`SQLDialect.locksAuditChain`).
        Migration(version: 4, name: "audit_chain_lock", sql: "DROP TABLE audit_head"),
        Migration(version: 5, name: "tallies_in_key_order", sql: talliesInKeyOrder),
        Migration(version: 6, name: "mail_unsettled", sql: Migrations.mailUnsettled),
        Migration(version: 7, name: "compliance_revisions", sql: complianceRevisions),
    ]

    private static let itemKinds = ItemKind.allCases.map { "'\($0.rawValue)'" }.joined(separator: ",")
    private static let singleKinds = ItemKind.allCases.filter(\.isSinglePerOwner).map { "'\($0.rawValue)'" }.joined(separator: ",")
    private static let states = ReviewState.allCases.map { "'\($0.rawValue)'" }.joined(separator: ",")
    private static let roles = "'school','curator','municipal','regional','federal','admin'"

    /// SQLite's `Migrations.complianceRevisions` in PL/pgSQL: the municipality's counter moves on
    /// with every change of what the compliance report reads there.
    static let complianceRevisions = """
    CREATE TABLE compliance_revisions (
        municipality_id bigint PRIMARY KEY REFERENCES municipalities(id),
        revision bigint NOT NULL
    );
    CREATE FUNCTION medk_compliance_bump(p_municipality bigint) RETURNS void LANGUAGE sql AS $$
        INSERT INTO compliance_revisions (municipality_id, revision) VALUES (p_municipality, 1)
        ON CONFLICT (municipality_id) DO UPDATE SET revision = compliance_revisions.revision + 1;
    $$;
    CREATE FUNCTION medk_compliance_of_school() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            PERFORM medk_compliance_bump(municipality_id) FROM schools WHERE id = OLD.school_id;
        END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.school_id <> OLD.school_id) THEN
            PERFORM medk_compliance_bump(municipality_id) FROM schools WHERE id = NEW.school_id;
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER school_progress_compliance AFTER INSERT OR UPDATE OR DELETE ON school_progress
        FOR EACH ROW EXECUTE FUNCTION medk_compliance_of_school();
    CREATE TRIGGER campaign_schools_compliance AFTER INSERT OR DELETE ON campaign_schools
        FOR EACH ROW EXECUTE FUNCTION medk_compliance_of_school();
    CREATE FUNCTION medk_compliance_of_schools_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM medk_compliance_bump(OLD.municipality_id);
        IF NEW.municipality_id <> OLD.municipality_id THEN PERFORM medk_compliance_bump(NEW.municipality_id); END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER schools_compliance AFTER UPDATE ON schools FOR EACH ROW EXECUTE FUNCTION medk_compliance_of_schools_row();
    CREATE FUNCTION medk_compliance_of_municipality() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM medk_compliance_bump(NEW.id);
        RETURN NULL;
    END $$;
    CREATE TRIGGER municipalities_compliance AFTER UPDATE ON municipalities FOR EACH ROW EXECUTE FUNCTION medk_compliance_of_municipality();
    CREATE FUNCTION medk_compliance_of_region() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM medk_compliance_bump(id) FROM municipalities WHERE region_id = NEW.id ORDER BY id;
        RETURN NULL;
    END $$;
    CREATE TRIGGER regions_compliance AFTER UPDATE ON regions FOR EACH ROW EXECUTE FUNCTION medk_compliance_of_region();
    CREATE FUNCTION medk_compliance_of_measure() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            PERFORM medk_compliance_bump(coalesce(OLD.municipality_id, (SELECT min(id) FROM municipalities WHERE region_id = OLD.region_id)));
        ELSE
            PERFORM medk_compliance_bump(coalesce(NEW.municipality_id, (SELECT min(id) FROM municipalities WHERE region_id = NEW.region_id)));
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER measures_compliance AFTER INSERT OR UPDATE OR DELETE ON measures
        FOR EACH ROW EXECUTE FUNCTION medk_compliance_of_measure();
    """

    /// Uploaded files, which on SQLite are a directory beside the database (`PostgresFiles`): a
    /// file's row, then its chunks. Chunks are stored as they are (EXTERNAL: no compression attempt
    /// on PDFs and Office files, which are compressed already).
    static let files = """
    CREATE TABLE file_blobs (
        sha256 text PRIMARY KEY CHECK (length(sha256) = 64),
        size bigint NOT NULL CHECK (size > 0),
        chunk_count integer NOT NULL CHECK (chunk_count > 0)
    );
    CREATE TABLE file_chunks (
        sha256 text NOT NULL REFERENCES file_blobs(sha256),
        seq integer NOT NULL CHECK (seq >= 0),
        data bytea NOT NULL,
        PRIMARY KEY (sha256, seq)
    );
    ALTER TABLE file_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
    """

    static let foundation = """
    CREATE EXTENSION IF NOT EXISTS citext SCHEMA public;

    CREATE TABLE regions (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        time_zone text NOT NULL
    );
    CREATE TABLE municipalities (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        region_id bigint NOT NULL REFERENCES regions(id),
        code text NOT NULL UNIQUE,
        name text NOT NULL
    );
    CREATE INDEX municipalities_region ON municipalities(region_id);
    CREATE TABLE schools (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        municipality_id bigint NOT NULL REFERENCES municipalities(id),
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        low_results integer NOT NULL DEFAULT 0 CHECK (low_results IN (0, 1)),
        hard_social integer NOT NULL DEFAULT 0 CHECK (hard_social IN (0, 1)),
        programme_years text NOT NULL DEFAULT ''
    );
    CREATE INDEX schools_municipality ON schools(municipality_id);
    CREATE TABLE users (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        login citext NOT NULL UNIQUE,
        full_name text NOT NULL,
        email text,
        password_hash text,
        is_active integer NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
        failed_logins integer NOT NULL DEFAULT 0,
        locked_until text,
        created_at text NOT NULL
    );
    CREATE TABLE user_roles (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users(id),
        role text NOT NULL CHECK (role IN (\(roles))),
        region_id bigint REFERENCES regions(id),
        municipality_id bigint REFERENCES municipalities(id),
        school_id bigint REFERENCES schools(id),
        CHECK ((region_id IS NOT NULL)::int + (municipality_id IS NOT NULL)::int + (school_id IS NOT NULL)::int <= 1)
    );
    CREATE INDEX user_roles_municipality ON user_roles(municipality_id) WHERE municipality_id IS NOT NULL;
    CREATE INDEX user_roles_role ON user_roles(role, region_id);
    CREATE INDEX user_roles_school ON user_roles(school_id) WHERE school_id IS NOT NULL;
    CREATE UNIQUE INDEX user_roles_unique ON user_roles(
        user_id, role, coalesce(region_id, 0), coalesce(municipality_id, 0), coalesce(school_id, 0));

    CREATE TABLE campaigns (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        year integer NOT NULL
    );
    CREATE TABLE campaign_schools (
        campaign_id bigint NOT NULL REFERENCES campaigns(id),
        school_id bigint NOT NULL REFERENCES schools(id),
        PRIMARY KEY (campaign_id, school_id)
    );
    CREATE TABLE curator_assignments (
        campaign_id bigint NOT NULL REFERENCES campaigns(id),
        school_id bigint NOT NULL REFERENCES schools(id),
        curator_id bigint NOT NULL REFERENCES users(id),
        assigned_at text NOT NULL,
        PRIMARY KEY (campaign_id, school_id, curator_id),
        FOREIGN KEY (campaign_id, school_id) REFERENCES campaign_schools(campaign_id, school_id)
    );
    CREATE INDEX curator_assignments_curator ON curator_assignments(curator_id);
    CREATE INDEX curator_assignments_school ON curator_assignments(school_id, campaign_id);
    CREATE TABLE risk_factors (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        campaign_id bigint NOT NULL REFERENCES campaigns(id),
        number integer NOT NULL,
        title text NOT NULL,
        UNIQUE (campaign_id, number)
    );
    CREATE TABLE milestones (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        campaign_id bigint NOT NULL REFERENCES campaigns(id),
        kind text NOT NULL CHECK (kind IN (\(itemKinds))),
        title text NOT NULL,
        due_date text NOT NULL,
        UNIQUE (campaign_id, kind)
    );
    CREATE TABLE milestone_overrides (
        milestone_id bigint NOT NULL REFERENCES milestones(id),
        region_id bigint NOT NULL REFERENCES regions(id),
        due_date text NOT NULL,
        PRIMARY KEY (milestone_id, region_id)
    );

    CREATE TABLE items (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        campaign_id bigint NOT NULL REFERENCES campaigns(id),
        kind text NOT NULL CHECK (kind IN (\(itemKinds))),
        school_id bigint REFERENCES schools(id),
        municipality_id bigint REFERENCES municipalities(id),
        region_id bigint NOT NULL REFERENCES regions(id),
        risk_factor_id bigint REFERENCES risk_factors(id),
        measure_id bigint,
        title text NOT NULL,
        state text NOT NULL CHECK (state IN (\(states))),
        revision integer NOT NULL DEFAULT 1,
        created_at text NOT NULL,
        created_by bigint NOT NULL REFERENCES users(id),
        updated_at text NOT NULL,
        first_submitted_at text,
        submitted_at text,
        submitted_by bigint REFERENCES users(id),
        decided_at text,
        decided_by bigint REFERENCES users(id),
        first_confirmed_at text,
        confirmed_version integer,
        CHECK ((kind = 'antirisk_programme') = (risk_factor_id IS NOT NULL)),
        CHECK ((kind = 'measure_report') = (measure_id IS NOT NULL))
    );
    CREATE UNIQUE INDEX items_antirisk_per_factor ON items(campaign_id, school_id, risk_factor_id) WHERE kind = 'antirisk_programme';
    CREATE INDEX items_campaign ON items(campaign_id, state, submitted_at);
    CREATE UNIQUE INDEX items_measure ON items(measure_id);
    CREATE INDEX items_municipal_roadmaps ON items(campaign_id, region_id) WHERE school_id IS NULL AND kind = 'roadmap';
    CREATE INDEX items_municipality ON items(municipality_id, state, campaign_id);
    CREATE INDEX items_region ON items(region_id, state, campaign_id);
    CREATE INDEX items_region_newest ON items(region_id, id);
    CREATE INDEX items_regional_documents ON items(region_id, id) WHERE school_id IS NULL AND municipality_id IS NULL;
    CREATE INDEX items_school ON items(school_id, state, campaign_id);
    CREATE UNIQUE INDEX items_single_per_municipality ON items(campaign_id, municipality_id, kind)
        WHERE school_id IS NULL AND kind IN (\(singleKinds));
    CREATE UNIQUE INDEX items_single_per_region ON items(campaign_id, region_id, kind)
        WHERE school_id IS NULL AND municipality_id IS NULL AND kind IN (\(singleKinds));
    CREATE UNIQUE INDEX items_single_per_school ON items(campaign_id, school_id, kind)
        WHERE school_id IS NOT NULL AND kind IN (\(singleKinds));
    CREATE INDEX items_title ON items(title, id);
    CREATE INDEX items_updated ON items(updated_at, id);

    CREATE TABLE measures (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        roadmap_id bigint NOT NULL REFERENCES items(id),
        campaign_id bigint NOT NULL REFERENCES campaigns(id),
        school_id bigint REFERENCES schools(id),
        municipality_id bigint REFERENCES municipalities(id),
        region_id bigint NOT NULL REFERENCES regions(id),
        position integer NOT NULL,
        risk_factor_id bigint REFERENCES risk_factors(id),
        track integer CHECK (track IN (1, 2, 3)),
        task text NOT NULL,
        title text NOT NULL,
        due_date text,
        responsible text NOT NULL,
        expected_result text NOT NULL,
        indicator text NOT NULL,
        planned_value text NOT NULL,
        actual_value text,
        regional_measure text,
        report_first_confirmed_at text,
        created_at text NOT NULL,
        updated_at text NOT NULL,
        deadline_text text,
        recurrence text,
        series_id bigint,
        stage text,
        goal text,
        section text,
        normative_document text,
        regional_measure_id bigint REFERENCES measures(id),
        committed_at text
    );
    ALTER TABLE items ADD FOREIGN KEY (measure_id) REFERENCES measures(id);
    CREATE INDEX measures_confirmed ON measures(region_id, campaign_id, report_first_confirmed_at, due_date, municipality_id,
        committed_at) WHERE report_first_confirmed_at IS NOT NULL;
    CREATE INDEX measures_open_by_campaign ON measures(campaign_id, due_date, report_first_confirmed_at)
        WHERE report_first_confirmed_at IS NULL AND committed_at IS NOT NULL;
    CREATE INDEX measures_open_by_municipality ON measures(municipality_id, campaign_id, due_date, report_first_confirmed_at,
        committed_at) WHERE report_first_confirmed_at IS NULL AND committed_at IS NOT NULL;
    CREATE INDEX measures_open_by_place ON measures(campaign_id, region_id, coalesce(municipality_id, 0), coalesce(school_id, 0),
        due_date, report_first_confirmed_at) WHERE report_first_confirmed_at IS NULL AND committed_at IS NOT NULL;
    CREATE INDEX measures_open_by_region ON measures(region_id, campaign_id, due_date, report_first_confirmed_at, committed_at)
        WHERE report_first_confirmed_at IS NULL AND committed_at IS NOT NULL;
    CREATE INDEX measures_open_by_school ON measures(school_id, campaign_id, due_date, report_first_confirmed_at)
        WHERE report_first_confirmed_at IS NULL AND committed_at IS NOT NULL;
    CREATE INDEX measures_regional_measure ON measures(regional_measure_id);
    CREATE INDEX measures_roadmap ON measures(roadmap_id, position);
    CREATE INDEX measures_school ON measures(school_id, campaign_id);

    CREATE TABLE item_files (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        item_id bigint NOT NULL REFERENCES items(id),
        version integer NOT NULL,
        file_name text NOT NULL,
        media_type text NOT NULL,
        size bigint NOT NULL,
        sha256 text NOT NULL,
        uploaded_by bigint NOT NULL REFERENCES users(id),
        uploaded_at text NOT NULL,
        UNIQUE (item_id, version)
    );
    CREATE TABLE item_tallies (
        region_id bigint NOT NULL,
        municipality_id bigint NOT NULL,
        campaign_id bigint NOT NULL,
        owner integer NOT NULL CHECK (owner IN (0, 1, 2)),
        kind text NOT NULL,
        state text NOT NULL,
        item_count bigint NOT NULL CHECK (item_count > 0),
        PRIMARY KEY (region_id, municipality_id, campaign_id, owner, kind, state)
    );
    CREATE INDEX item_tallies_municipality ON item_tallies(municipality_id);
    CREATE TABLE open_measure_days (
        campaign_id bigint NOT NULL,
        region_id bigint NOT NULL,
        due_date text NOT NULL,
        open_count bigint NOT NULL CHECK (open_count > 0),
        PRIMARY KEY (campaign_id, region_id, due_date)
    );
    CREATE TABLE risk_profile_entries (
        item_id bigint NOT NULL REFERENCES items(id),
        risk_factor_id bigint NOT NULL REFERENCES risk_factors(id),
        significance text NOT NULL CHECK (significance IN ('high','medium','low')),
        chosen integer NOT NULL DEFAULT 0 CHECK (chosen IN (0, 1)),
        PRIMARY KEY (item_id, risk_factor_id)
    );
    CREATE TABLE school_progress (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        campaign_id bigint NOT NULL REFERENCES campaigns(id),
        school_id bigint NOT NULL REFERENCES schools(id),
        digest bytea NOT NULL,
        UNIQUE (campaign_id, school_id)
    );
    CREATE TABLE review_rounds (
        item_id bigint NOT NULL REFERENCES items(id),
        round integer NOT NULL CHECK (round > 0),
        campaign_id bigint NOT NULL,
        region_id bigint NOT NULL,
        municipality_id bigint,
        school_id bigint,
        submitted_at text NOT NULL,
        closed_at text,
        closed_by bigint REFERENCES users(id),
        outcome text CHECK (outcome IN ('confirmed', 'returned', 'withdrawn')),
        wait_seconds bigint,
        CHECK ((closed_at IS NULL) = (outcome IS NULL)),
        PRIMARY KEY (item_id, round)
    );
    CREATE INDEX review_rounds_closed
        ON review_rounds(closed_at, campaign_id, outcome, closed_by, wait_seconds, region_id) WHERE closed_at IS NOT NULL;
    CREATE INDEX review_rounds_open
        ON review_rounds(region_id, submitted_at, campaign_id, municipality_id, school_id, closed_at) WHERE closed_at IS NULL;
    CREATE INDEX review_rounds_region_closed
        ON review_rounds(region_id, closed_at, municipality_id, campaign_id, outcome, closed_by, wait_seconds) WHERE closed_at IS NOT NULL;
    CREATE TABLE remarks (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        item_id bigint NOT NULL REFERENCES items(id),
        text text NOT NULL,
        returned_at text NOT NULL,
        returned_by bigint NOT NULL REFERENCES users(id),
        answer text CHECK (answer IN ('done', 'declined')),
        answer_text text,
        answered_at text,
        answered_by bigint REFERENCES users(id),
        closed_at text,
        closed_by bigint REFERENCES users(id),
        CHECK ((answer IS NULL) = (answered_at IS NULL))
    );
    CREATE INDEX remarks_item ON remarks(item_id, id);

    CREATE TABLE package_evaluations (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        campaign_id bigint NOT NULL REFERENCES campaigns(id),
        municipality_id bigint NOT NULL REFERENCES municipalities(id),
        region_id bigint NOT NULL REFERENCES regions(id),
        version integer NOT NULL CHECK (version > 0),
        evaluated_at text NOT NULL,
        evaluator_id bigint NOT NULL REFERENCES users(id),
        evaluator_role text NOT NULL CHECK (evaluator_role IN (\(roles))),
        total integer NOT NULL,
        maximum integer NOT NULL,
        findings text NOT NULL,
        UNIQUE (campaign_id, municipality_id, version)
    );
    CREATE INDEX package_evaluations_region ON package_evaluations(campaign_id, region_id, municipality_id, version);
    CREATE TABLE package_evaluation_scores (
        evaluation_id bigint NOT NULL REFERENCES package_evaluations(id),
        position text NOT NULL,
        score integer NOT NULL CHECK (score BETWEEN 0 AND 2),
        comment text NOT NULL,
        PRIMARY KEY (evaluation_id, position)
    );

    CREATE TABLE audit_keys (
        key_id text PRIMARY KEY,
        from_seq bigint NOT NULL UNIQUE
    );
    CREATE TABLE audit_log (
        seq bigint PRIMARY KEY,
        at text NOT NULL,
        actor_id bigint,
        actor_login text NOT NULL,
        actor_role text,
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text,
        from_state text,
        to_state text,
        comment text,
        details text NOT NULL DEFAULT '{}',
        prev_hash text NOT NULL,
        hash text NOT NULL
    );
    CREATE INDEX audit_log_entity ON audit_log(entity_type, entity_id, seq);
    -- The chain's head, one row: a writer locks it to append, so that concurrent writers on several
    -- servers still make one chain (SQLite has one writer and reads the last row instead).
    CREATE TABLE audit_head (
        id integer PRIMARY KEY CHECK (id = 1),
        seq bigint NOT NULL,
        hash text NOT NULL
    );

    CREATE TABLE sessions (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        token_hash text NOT NULL UNIQUE,
        user_id bigint NOT NULL REFERENCES users(id),
        created_at text NOT NULL,
        expires_at text NOT NULL,
        revoked_at text,
        last_seen_at text
    );
    CREATE INDEX sessions_user ON sessions(user_id);
    CREATE TABLE login_devices (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        token_hash text NOT NULL UNIQUE,
        user_id bigint NOT NULL REFERENCES users(id),
        last_signed_in_ms bigint NOT NULL
    );
    CREATE INDEX login_devices_user ON login_devices(user_id, last_signed_in_ms);
    CREATE TABLE login_failures (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        login text NOT NULL,
        address text NOT NULL,
        at_ms bigint NOT NULL,
        settled integer NOT NULL DEFAULT 0 CHECK (settled IN (0, 1)),
        device_id bigint
    );
    CREATE INDEX login_failures_address ON login_failures(address, at_ms);
    CREATE INDEX login_failures_at ON login_failures(at_ms);
    CREATE INDEX login_failures_device ON login_failures(device_id, at_ms) WHERE device_id IS NOT NULL;
    CREATE INDEX login_failures_login ON login_failures(login, address, at_ms);
    CREATE TABLE form_drafts (
        id text PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users(id),
        created_at text NOT NULL,
        body text NOT NULL
    );
    CREATE INDEX form_drafts_created ON form_drafts(created_at);
    CREATE INDEX form_drafts_user ON form_drafts(user_id, created_at);

    CREATE TABLE mail_outbox (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        dedupe_key text NOT NULL UNIQUE,
        kind text NOT NULL,
        user_id bigint NOT NULL REFERENCES users(id),
        letter text NOT NULL,
        created_at text NOT NULL,
        expires_at text NOT NULL,
        state text NOT NULL DEFAULT 'pending'
            CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'uncertain', 'skipped', 'expired')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at text NOT NULL,
        finished_at text,
        address text,
        last_error text,
        unsubscribe_hash text
    );
    CREATE INDEX mail_outbox_due ON mail_outbox(next_attempt_at) WHERE state = 'pending';
    CREATE UNIQUE INDEX mail_outbox_unsubscribe ON mail_outbox(unsubscribe_hash) WHERE unsubscribe_hash IS NOT NULL;
    CREATE INDEX mail_outbox_user ON mail_outbox(user_id);
    CREATE TABLE mail_preferences (
        user_id bigint PRIMARY KEY REFERENCES users(id),
        disabled_kinds text NOT NULL DEFAULT '',
        digest_weekday integer NOT NULL DEFAULT 1 CHECK (digest_weekday BETWEEN 1 AND 7)
    );
    CREATE TABLE region_reminder_settings (
        region_id bigint PRIMARY KEY REFERENCES regions(id),
        days_before text NOT NULL,
        review_working_days integer NOT NULL,
        escalation_days text NOT NULL
    );
    CREATE TABLE reminder_plans (
        region_id bigint NOT NULL REFERENCES regions(id),
        plan_date text NOT NULL,
        planned_at text NOT NULL,
        PRIMARY KEY (region_id, plan_date)
    );

    CREATE TABLE results_imports (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('components', 'social')),
        file_name text NOT NULL,
        sha256 text NOT NULL,
        imported_at text NOT NULL,
        imported_by bigint REFERENCES users(id)
    );
    CREATE TABLE school_results (
        school_id bigint NOT NULL REFERENCES schools(id),
        year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        exam text NOT NULL CHECK (exam IN ('ege', 'oge', 'vpr4')),
        subject text NOT NULL CHECK (subject IN ('russian', 'mathematics')),
        mean double precision NOT NULL,
        participants integer NOT NULL CHECK (participants >= 0),
        valid_from bigint NOT NULL REFERENCES results_imports(id),
        valid_to bigint REFERENCES results_imports(id),
        PRIMARY KEY (school_id, year, exam, subject, valid_from),
        CHECK (valid_to IS NULL OR valid_to > valid_from)
    );
    CREATE UNIQUE INDEX school_results_current ON school_results(school_id, year, exam, subject) WHERE valid_to IS NULL;
    CREATE TABLE school_social (
        school_id bigint NOT NULL REFERENCES schools(id),
        year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        indicator text NOT NULL,
        value double precision NOT NULL,
        valid_from bigint NOT NULL REFERENCES results_imports(id),
        valid_to bigint REFERENCES results_imports(id),
        PRIMARY KEY (school_id, year, indicator, valid_from),
        CHECK (valid_to IS NULL OR valid_to > valid_from)
    );
    CREATE UNIQUE INDEX school_social_current ON school_social(school_id, year, indicator) WHERE valid_to IS NULL;
    CREATE TABLE identification_methods (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        region_id bigint NOT NULL REFERENCES regions(id),
        version integer NOT NULL CHECK (version > 0),
        definition text NOT NULL,
        sha256 text NOT NULL,
        created_at text NOT NULL,
        created_by bigint REFERENCES users(id),
        UNIQUE (region_id, version),
        UNIQUE (region_id, sha256)
    );
    CREATE TABLE identification_lists (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        region_id bigint NOT NULL REFERENCES regions(id),
        year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        method_id bigint NOT NULL REFERENCES identification_methods(id),
        rules text NOT NULL,
        data_batch bigint NOT NULL,
        inputs_sha256 text NOT NULL,
        run_sha256 text NOT NULL,
        results_cut double precision,
        social_cut double precision,
        state text NOT NULL CHECK (state IN ('draft', 'approved', 'discarded')),
        objections_until text NOT NULL,
        created_at text NOT NULL,
        created_by bigint REFERENCES users(id),
        decided_at text,
        decided_by bigint REFERENCES users(id),
        CHECK ((state = 'draft') = (decided_at IS NULL))
    );
    CREATE UNIQUE INDEX identification_lists_one_draft ON identification_lists(region_id) WHERE state = 'draft';
    CREATE INDEX identification_lists_region ON identification_lists(region_id, year, id);
    CREATE TABLE identification_entries (
        list_id bigint NOT NULL REFERENCES identification_lists(id),
        school_id bigint NOT NULL REFERENCES schools(id),
        results_index double precision,
        social_index double precision,
        results_noise double precision,
        school_group text CHECK (school_group IN ('effective', 'struggling', 'deprived', 'resilient')),
        low_results integer CHECK (low_results IN (0, 1)),
        uncertain integer NOT NULL CHECK (uncertain IN (0, 1)),
        participants integer NOT NULL,
        decision text NOT NULL,
        social_decision text NOT NULL,
        low_before integer NOT NULL CHECK (low_before IN (0, 1)),
        hard_before integer NOT NULL CHECK (hard_before IN (0, 1)),
        low_proposed integer NOT NULL CHECK (low_proposed IN (0, 1)),
        hard_proposed integer NOT NULL CHECK (hard_proposed IN (0, 1)),
        PRIMARY KEY (list_id, school_id)
    );
    CREATE TABLE identification_objections (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        list_id bigint NOT NULL REFERENCES identification_lists(id),
        school_id bigint NOT NULL REFERENCES schools(id),
        author_id bigint REFERENCES users(id),
        created_at text NOT NULL,
        reason text NOT NULL,
        low_wanted integer NOT NULL CHECK (low_wanted IN (0, 1)),
        hard_wanted integer NOT NULL CHECK (hard_wanted IN (0, 1)),
        state text NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected')),
        decided_at text,
        decided_by bigint REFERENCES users(id),
        decision_comment text,
        CHECK ((state = 'pending') = (decided_at IS NULL))
    );
    CREATE INDEX identification_objections_list ON identification_objections(list_id, school_id, id);
    CREATE TABLE target_indicators (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        region_id bigint NOT NULL REFERENCES regions(id),
        code text NOT NULL,
        title text NOT NULL,
        source text NOT NULL CHECK (source IN ('positiveDynamics', 'confirmedRoadmaps', 'leftLowResults', 'entered')),
        created_at text NOT NULL,
        created_by bigint REFERENCES users(id),
        UNIQUE (region_id, code)
    );
    CREATE TABLE indicator_plans (
        indicator_id bigint NOT NULL REFERENCES target_indicators(id),
        year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        target text NOT NULL,
        PRIMARY KEY (indicator_id, year)
    );
    CREATE TABLE indicator_facts (
        indicator_id bigint NOT NULL REFERENCES target_indicators(id),
        year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        value double precision NOT NULL,
        comment text,
        entered_at text NOT NULL,
        entered_by bigint REFERENCES users(id),
        evidence_item_id bigint REFERENCES items(id),
        PRIMARY KEY (indicator_id, year)
    );

    """

    /// The tally triggers again, taking their two rows in the order of their keys. A change of state
    /// takes one tally down and another up; taken in that order, a document sent to review (draft
    /// down, submitted up) and another taken back (submitted down, draft up) in the same
    /// municipality could each hold the row the other wants next — PostgreSQL found such deadlocks
    /// every second under load and ended one of the two after a second's wait. In key order every
    /// writer queues on the same row first.
    static let talliesInKeyOrder = """
    CREATE FUNCTION medk_tally_down(p_region bigint, p_municipality bigint, p_campaign bigint, p_owner integer, p_kind text,
                                    p_state text) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        -- Decrement, or delete the last one: one statement each way, so that two writers taking the
        -- same tally down wait for each other's row and the second sees the first's count.
        UPDATE item_tallies SET item_count = item_count - 1 WHERE region_id = p_region AND municipality_id = p_municipality
            AND campaign_id = p_campaign AND owner = p_owner AND kind = p_kind AND state = p_state AND item_count > 1;
        IF NOT FOUND THEN
            DELETE FROM item_tallies WHERE region_id = p_region AND municipality_id = p_municipality AND campaign_id = p_campaign
                AND owner = p_owner AND kind = p_kind AND state = p_state;
        END IF;
    END $$;
    CREATE FUNCTION medk_tally_up(p_region bigint, p_municipality bigint, p_campaign bigint, p_owner integer, p_kind text,
                                  p_state text) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO item_tallies (region_id, municipality_id, campaign_id, owner, kind, state, item_count)
            VALUES (p_region, p_municipality, p_campaign, p_owner, p_kind, p_state, 1)
            ON CONFLICT (region_id, municipality_id, campaign_id, owner, kind, state)
            DO UPDATE SET item_count = item_tallies.item_count + 1;
    END $$;
    CREATE OR REPLACE FUNCTION medk_item_tally() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        old_owner integer := CASE WHEN TG_OP = 'INSERT' THEN NULL
                                  WHEN OLD.school_id IS NOT NULL THEN 0 WHEN OLD.municipality_id IS NOT NULL THEN 1 ELSE 2 END;
        new_owner integer := CASE WHEN TG_OP = 'DELETE' THEN NULL
                                  WHEN NEW.school_id IS NOT NULL THEN 0 WHEN NEW.municipality_id IS NOT NULL THEN 1 ELSE 2 END;
        -- The new tally's key sorts first: it is taken first (never unknown, or a tally would be skipped).
        up_first boolean := coalesce(TG_OP = 'UPDATE'
            AND (NEW.region_id, coalesce(NEW.municipality_id, 0), NEW.campaign_id, new_owner, NEW.kind, NEW.state)
              < (OLD.region_id, coalesce(OLD.municipality_id, 0), OLD.campaign_id, old_owner, OLD.kind, OLD.state), false);
    BEGIN
        IF up_first THEN
            PERFORM medk_tally_up(NEW.region_id, coalesce(NEW.municipality_id, 0), NEW.campaign_id, new_owner, NEW.kind, NEW.state);
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            PERFORM medk_tally_down(OLD.region_id, coalesce(OLD.municipality_id, 0), OLD.campaign_id, old_owner, OLD.kind, OLD.state);
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') AND NOT up_first THEN
            PERFORM medk_tally_up(NEW.region_id, coalesce(NEW.municipality_id, 0), NEW.campaign_id, new_owner, NEW.kind, NEW.state);
        END IF;
        RETURN NULL;
    END $$;

    -- The same for open measures by due day, when a measure's due date moves.
    CREATE FUNCTION medk_open_day_down(p_campaign bigint, p_region bigint, p_due text) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE open_measure_days SET open_count = open_count - 1 WHERE campaign_id = p_campaign AND region_id = p_region
            AND due_date = p_due AND open_count > 1;
        IF NOT FOUND THEN
            DELETE FROM open_measure_days WHERE campaign_id = p_campaign AND region_id = p_region AND due_date = p_due;
        END IF;
    END $$;
    CREATE FUNCTION medk_open_day_up(p_campaign bigint, p_region bigint, p_due text) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO open_measure_days (campaign_id, region_id, due_date, open_count) VALUES (p_campaign, p_region, p_due, 1)
            ON CONFLICT (campaign_id, region_id, due_date) DO UPDATE SET open_count = open_measure_days.open_count + 1;
    END $$;
    CREATE OR REPLACE FUNCTION medk_open_measure_days() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        leaving boolean := TG_OP IN ('UPDATE', 'DELETE') AND OLD.report_first_confirmed_at IS NULL AND OLD.due_date IS NOT NULL
                           AND OLD.committed_at IS NOT NULL;
        entering boolean := TG_OP IN ('UPDATE', 'INSERT') AND NEW.report_first_confirmed_at IS NULL AND NEW.due_date IS NOT NULL
                            AND NEW.committed_at IS NOT NULL;
        up_first boolean := coalesce(leaving AND entering
            AND (NEW.campaign_id, NEW.region_id, NEW.due_date) < (OLD.campaign_id, OLD.region_id, OLD.due_date), false);
    BEGIN
        IF up_first THEN PERFORM medk_open_day_up(NEW.campaign_id, NEW.region_id, NEW.due_date); END IF;
        IF leaving THEN PERFORM medk_open_day_down(OLD.campaign_id, OLD.region_id, OLD.due_date); END IF;
        IF entering AND NOT up_first THEN PERFORM medk_open_day_up(NEW.campaign_id, NEW.region_id, NEW.due_date); END IF;
        RETURN NULL;
    END $$;
    """

    /// SQLite's triggers in PL/pgSQL, row for row the same effects.
    static let triggers = """
    -- Searches fold case in any alphabet and ё to е, as `SearchFolding.fold` does on SQLite.
    CREATE FUNCTION medk_fold(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT replace(lower($1), 'ё', 'е')
    $$;
    CREATE FUNCTION medk_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
    END $$;
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION medk_refuse('audit_log is append-only');
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION medk_refuse('audit_log is append-only');
    CREATE TRIGGER item_files_immutable BEFORE UPDATE OR DELETE ON item_files
        FOR EACH ROW EXECUTE FUNCTION medk_refuse('file versions are immutable');
    CREATE TRIGGER package_evaluations_immutable BEFORE UPDATE OR DELETE ON package_evaluations
        FOR EACH ROW EXECUTE FUNCTION medk_refuse('package evaluations are immutable');
    CREATE TRIGGER package_evaluation_scores_immutable BEFORE UPDATE OR DELETE ON package_evaluation_scores
        FOR EACH ROW EXECUTE FUNCTION medk_refuse('package evaluations are immutable');

    -- Items by territory, campaign, owner level, kind and state (what the dashboard counts).
    CREATE FUNCTION medk_item_tally() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- Decrement, or delete the last one: one statement each way, so that two writers taking the
        -- same tally down wait for each other's row and the second sees the first's count.
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            UPDATE item_tallies SET item_count = item_count - 1 WHERE region_id = OLD.region_id
                AND municipality_id = coalesce(OLD.municipality_id, 0) AND campaign_id = OLD.campaign_id
                AND owner = CASE WHEN OLD.school_id IS NOT NULL THEN 0 WHEN OLD.municipality_id IS NOT NULL THEN 1 ELSE 2 END
                AND kind = OLD.kind AND state = OLD.state AND item_count > 1;
            IF NOT FOUND THEN
                DELETE FROM item_tallies WHERE region_id = OLD.region_id AND municipality_id = coalesce(OLD.municipality_id, 0)
                    AND campaign_id = OLD.campaign_id
                    AND owner = CASE WHEN OLD.school_id IS NOT NULL THEN 0 WHEN OLD.municipality_id IS NOT NULL THEN 1 ELSE 2 END
                    AND kind = OLD.kind AND state = OLD.state;
            END IF;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            INSERT INTO item_tallies (region_id, municipality_id, campaign_id, owner, kind, state, item_count)
                VALUES (NEW.region_id, coalesce(NEW.municipality_id, 0), NEW.campaign_id,
                        CASE WHEN NEW.school_id IS NOT NULL THEN 0 WHEN NEW.municipality_id IS NOT NULL THEN 1 ELSE 2 END,
                        NEW.kind, NEW.state, 1)
                ON CONFLICT (region_id, municipality_id, campaign_id, owner, kind, state)
                DO UPDATE SET item_count = item_tallies.item_count + 1;
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER items_tally_insert AFTER INSERT OR DELETE ON items FOR EACH ROW EXECUTE FUNCTION medk_item_tally();
    CREATE TRIGGER items_tally_update AFTER UPDATE OF region_id, municipality_id, campaign_id, school_id, kind, state ON items
        FOR EACH ROW WHEN (OLD.region_id IS DISTINCT FROM NEW.region_id OR OLD.municipality_id IS DISTINCT FROM NEW.municipality_id
            OR OLD.campaign_id IS DISTINCT FROM NEW.campaign_id OR (OLD.school_id IS NULL) IS DISTINCT FROM (NEW.school_id IS NULL)
            OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.state IS DISTINCT FROM NEW.state)
        EXECUTE FUNCTION medk_item_tally();

    -- Open committed measures by region and due day (what the overdue counts read).
    CREATE FUNCTION medk_open_measure_days() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.report_first_confirmed_at IS NULL AND OLD.due_date IS NOT NULL
           AND OLD.committed_at IS NOT NULL THEN
            UPDATE open_measure_days SET open_count = open_count - 1 WHERE campaign_id = OLD.campaign_id
                AND region_id = OLD.region_id AND due_date = OLD.due_date AND open_count > 1;
            IF NOT FOUND THEN
                DELETE FROM open_measure_days WHERE campaign_id = OLD.campaign_id AND region_id = OLD.region_id
                    AND due_date = OLD.due_date;
            END IF;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.report_first_confirmed_at IS NULL AND NEW.due_date IS NOT NULL
           AND NEW.committed_at IS NOT NULL THEN
            INSERT INTO open_measure_days (campaign_id, region_id, due_date, open_count)
                VALUES (NEW.campaign_id, NEW.region_id, NEW.due_date, 1)
                ON CONFLICT (campaign_id, region_id, due_date) DO UPDATE SET open_count = open_measure_days.open_count + 1;
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER measures_open_days AFTER INSERT OR DELETE ON measures FOR EACH ROW EXECUTE FUNCTION medk_open_measure_days();
    CREATE TRIGGER measures_open_days_update
        AFTER UPDATE OF campaign_id, region_id, due_date, report_first_confirmed_at, committed_at ON measures
        FOR EACH ROW WHEN ((OLD.report_first_confirmed_at IS NULL AND OLD.committed_at IS NOT NULL)
                        OR (NEW.report_first_confirmed_at IS NULL AND NEW.committed_at IS NOT NULL))
        EXECUTE FUNCTION medk_open_measure_days();

    -- Review rounds: one opens when an item is sent, closes when it is decided or withdrawn.
    CREATE FUNCTION medk_review_rounds() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.state = 'submitted' AND OLD.state <> 'submitted' THEN
            INSERT INTO review_rounds (item_id, round, campaign_id, region_id, municipality_id, school_id, submitted_at)
            VALUES (NEW.id, (SELECT count(*) + 1 FROM review_rounds WHERE item_id = NEW.id), NEW.campaign_id, NEW.region_id,
                    NEW.municipality_id, NEW.school_id, NEW.submitted_at);
        ELSIF OLD.state = 'submitted' AND NEW.state IN ('confirmed', 'returned') THEN
            UPDATE review_rounds SET closed_at = NEW.decided_at, closed_by = NEW.decided_by, outcome = NEW.state,
                wait_seconds = round(extract(epoch FROM (NEW.decided_at::timestamp - submitted_at::timestamp)))::bigint
            WHERE item_id = NEW.id AND closed_at IS NULL;
        ELSIF OLD.state = 'submitted' AND NEW.state = 'draft' THEN
            UPDATE review_rounds SET closed_at = NEW.updated_at, outcome = 'withdrawn',
                wait_seconds = round(extract(epoch FROM (NEW.updated_at::timestamp - submitted_at::timestamp)))::bigint
            WHERE item_id = NEW.id AND closed_at IS NULL;
        END IF;
        -- A roadmap sent to review commits its measures (they become what the school promised).
        IF NEW.kind = 'roadmap' AND NEW.state = 'submitted' AND OLD.state <> 'submitted' THEN
            UPDATE measures SET committed_at = NEW.updated_at WHERE roadmap_id = NEW.id AND committed_at IS NULL;
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER items_review_rounds AFTER UPDATE OF state ON items
        FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION medk_review_rounds();
    """
}
