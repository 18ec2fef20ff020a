import GRDB

/// Migrations are the source of truth for the schema; `schema.sql` at the top of the
/// repository is what they produce, kept equal by a test.
enum Migrations {
    /// One version of the schema: applied once, in order, never edited after it shipped (the
    /// upgrade fixtures in Tests/MEDKCoreTests/Fixtures/upgrades hold databases of each version).
    struct Step: Sendable {
        let id: String
        /// Tables are rebuilt: foreign keys are checked once at the end rather than per statement.
        let foreignKeysDeferred: Bool
        let apply: @Sendable (Database) throws -> Void

        init(_ id: String, foreignKeysDeferred: Bool = false, _ apply: @escaping @Sendable (Database) throws -> Void) {
            self.id = id
            self.foreignKeysDeferred = foreignKeysDeferred
            self.apply = apply
        }
    }

    static let steps: [Step] = [
        Step("v1_foundation") { db in
            try db.execute(sql: v1)
        },
        // Tables are rebuilt, so foreign keys are checked once at the end rather than per statement.
        Step("v2_scale", foreignKeysDeferred: true) { db in
            try db.execute(sql: v2)
            try ProgressRebuild.rebuildAll(GRDBSession(db: db))
        },
        Step("v3_plan_indexes") { db in
            try db.execute(sql: v3)
        },
        Step("v4_login_throttle") { db in
            try db.execute(sql: v4)
        },
        Step("v5_open_measure_days") { db in
            try db.execute(sql: v5)
        },
        Step("v6_item_tallies") { db in
            try db.execute(sql: v6)
        },
        Step("v7_municipal_roadmaps") { db in
            try db.execute(sql: v7)
        },
        // The measures table is rebuilt (SQLite cannot relax NOT NULL in place), so foreign keys are
        // checked once at the end.
        Step("v8_imported_measures", foreignKeysDeferred: true) { db in
            try db.execute(sql: v8)
        },
        Step("v9_package_evaluations") { db in
            try db.execute(sql: v9)
        },
        Step("v10_regional_roadmaps") { db in
            try relaxMunicipalityForRegionalItems(db)
            try db.execute(sql: v10)
        },
        Step("v11_regional_measure_links") { db in
            try db.execute(sql: v11)
        },
        Step("v12_review_rounds") { db in
            try db.execute(sql: v12)
            try db.execute(sql: v12Backfill)
        },
        Step("v13_mail") { db in
            try db.execute(sql: v13)
        },
        Step("v14_known_devices_and_unsubscribe_links") { db in
            try db.execute(sql: v14)
        },
        Step("v15_form_drafts") { db in
            try db.execute(sql: v15)
        },
        Step("v16_committed_measures") { db in
            try db.execute(sql: "ALTER TABLE measures ADD COLUMN committed_at TEXT")
            try db.execute(sql: v16Backfill)
            try db.execute(sql: v16)
        },
        Step("v17_remarks") { db in
            try db.execute(sql: v17)
        },
        Step("v18_item_orders") { db in
            try db.execute(sql: v18)
        },
        Step("v19_school_results") { db in
            try db.execute(sql: v19)
        },
        Step("v20_identification_lists", foreignKeysDeferred: true) { db in
            try db.execute(sql: v20)
        },
        Step("v21_target_indicators") { db in
            try db.execute(sql: v21)
        },
        Step("v22_fact_evidence") { db in
            try db.execute(sql: v22)
        },
        Step("v23_mail_lease") { db in
            try db.execute(sql: mailLease)
        },
        Step("v24_staged_imports") { db in
            try db.execute(sql: stagedImports(bytes: "BLOB"))
        },
        Step("v25_mail_unsettled") { db in
            try db.execute(sql: mailUnsettled)
        },
        Step("v26_compliance_revisions") { db in
            try db.execute(sql: complianceRevisions)
        }
    ]

    /// GRDB's migrator over the same steps, for tests and tools that need a database at one
    /// version (`migrate(_:upTo:)`); servers upgrade with `upgrade(_:)`.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for step in steps {
            migrator.registerMigration(step.id, foreignKeyChecks: step.foreignKeysDeferred ? .deferred : .immediate) { db in
                try step.apply(db)
            }
        }
        return migrator
    }

    private static let roleList = "'school','curator','municipal','regional','federal','admin'"
    private static let stateList = "'draft','submitted','confirmed','returned'"
    private static let kindList = ItemKind.allCases.map { "'\($0.rawValue)'" }.joined(separator: ",")

    static let v1 = """
    CREATE TABLE regions (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        time_zone TEXT NOT NULL
    );
    CREATE TABLE municipalities (
        id INTEGER PRIMARY KEY,
        region_id INTEGER NOT NULL REFERENCES regions(id),
        code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL
    );
    CREATE INDEX municipalities_region ON municipalities(region_id);
    CREATE TABLE schools (
        id INTEGER PRIMARY KEY,
        municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
        code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        low_results INTEGER NOT NULL DEFAULT 0 CHECK (low_results IN (0, 1)),
        hard_social INTEGER NOT NULL DEFAULT 0 CHECK (hard_social IN (0, 1)),
        programme_years TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX schools_municipality ON schools(municipality_id);
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
    CREATE TABLE user_roles (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        role TEXT NOT NULL CHECK (role IN (\(roleList))),
        region_id INTEGER REFERENCES regions(id),
        municipality_id INTEGER REFERENCES municipalities(id),
        school_id INTEGER REFERENCES schools(id),
        CHECK ((region_id IS NOT NULL) + (municipality_id IS NOT NULL) + (school_id IS NOT NULL) <= 1)
    );
    CREATE UNIQUE INDEX user_roles_unique ON user_roles(
        user_id, role, ifnull(region_id, 0), ifnull(municipality_id, 0), ifnull(school_id, 0));
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        user_id INTEGER NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        revoked_at TEXT
    );
    CREATE INDEX sessions_user ON sessions(user_id);
    CREATE TABLE campaigns (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        year INTEGER NOT NULL
    );
    CREATE TABLE risk_factors (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
        number INTEGER NOT NULL,
        title TEXT NOT NULL,
        UNIQUE (campaign_id, number)
    );
    CREATE TABLE campaign_schools (
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
        school_id INTEGER NOT NULL REFERENCES schools(id),
        PRIMARY KEY (campaign_id, school_id)
    ) WITHOUT ROWID;
    CREATE TABLE curator_assignments (
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
        school_id INTEGER NOT NULL REFERENCES schools(id),
        curator_id INTEGER NOT NULL REFERENCES users(id),
        assigned_at TEXT NOT NULL,
        PRIMARY KEY (campaign_id, school_id, curator_id),
        FOREIGN KEY (campaign_id, school_id) REFERENCES campaign_schools(campaign_id, school_id)
    ) WITHOUT ROWID;
    CREATE INDEX curator_assignments_curator ON curator_assignments(curator_id);
    CREATE TABLE milestones (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
        kind TEXT NOT NULL CHECK (kind IN (\(kindList))),
        title TEXT NOT NULL,
        due_date TEXT NOT NULL,
        UNIQUE (campaign_id, kind)
    );
    CREATE TABLE milestone_overrides (
        milestone_id INTEGER NOT NULL REFERENCES milestones(id),
        region_id INTEGER NOT NULL REFERENCES regions(id),
        due_date TEXT NOT NULL,
        PRIMARY KEY (milestone_id, region_id)
    ) WITHOUT ROWID;
    CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
        kind TEXT NOT NULL CHECK (kind IN (\(kindList))),
        school_id INTEGER REFERENCES schools(id),
        municipality_id INTEGER REFERENCES municipalities(id),
        risk_factor_id INTEGER REFERENCES risk_factors(id),
        measure_id INTEGER REFERENCES measures(id),
        title TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN (\(stateList))),
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
    CREATE INDEX items_school ON items(school_id, campaign_id);
    CREATE INDEX items_municipality ON items(municipality_id, campaign_id);
    CREATE INDEX items_state ON items(state, submitted_at);
    CREATE UNIQUE INDEX items_single_per_school ON items(campaign_id, school_id, kind)
        WHERE school_id IS NOT NULL AND kind IN (\(ItemKind.allCases.filter(\.isSinglePerOwner).map { "'\($0.rawValue)'" }.joined(separator: ",")));
    CREATE UNIQUE INDEX items_single_per_municipality ON items(campaign_id, municipality_id, kind)
        WHERE municipality_id IS NOT NULL AND kind IN (\(ItemKind.allCases.filter(\.isSinglePerOwner).map { "'\($0.rawValue)'" }.joined(separator: ",")));
    CREATE UNIQUE INDEX items_antirisk_per_factor ON items(campaign_id, school_id, risk_factor_id)
        WHERE kind = 'antirisk_programme';
    CREATE UNIQUE INDEX items_report_per_measure ON items(measure_id) WHERE kind = 'measure_report';
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
    CREATE TRIGGER item_files_immutable BEFORE UPDATE ON item_files
    BEGIN SELECT RAISE(ABORT, 'file versions are immutable'); END;
    CREATE TRIGGER item_files_undeletable BEFORE DELETE ON item_files
    BEGIN SELECT RAISE(ABORT, 'file versions are immutable'); END;
    CREATE TABLE risk_profile_entries (
        item_id INTEGER NOT NULL REFERENCES items(id),
        risk_factor_id INTEGER NOT NULL REFERENCES risk_factors(id),
        significance TEXT NOT NULL CHECK (significance IN ('high','medium','low')),
        chosen INTEGER NOT NULL DEFAULT 0 CHECK (chosen IN (0, 1)),
        PRIMARY KEY (item_id, risk_factor_id)
    ) WITHOUT ROWID;
    CREATE TABLE measures (
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
    CREATE INDEX measures_roadmap ON measures(roadmap_id, position);
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
    CREATE INDEX audit_log_entity ON audit_log(entity_type, entity_id, seq);
    CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    """

    /// Scale: every item and measure knows its territory (so lists filter by index, not by
    /// joining the organisation tree), items know when they were first confirmed, measures when
    /// their report was, a measure has at most one report through a full unique index (deleting
    /// a measure no longer scans `items`), and each school keeps its compliance progress.
    static let v2 = """
    CREATE TABLE items_v2 (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
        kind TEXT NOT NULL CHECK (kind IN (\(kindList))),
        school_id INTEGER REFERENCES schools(id),
        municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
        region_id INTEGER NOT NULL REFERENCES regions(id),
        risk_factor_id INTEGER REFERENCES risk_factors(id),
        measure_id INTEGER REFERENCES measures(id),
        title TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN (\(stateList))),
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
    INSERT INTO items_v2
    SELECT i.id, i.campaign_id, i.kind, i.school_id, m.id, m.region_id, i.risk_factor_id, i.measure_id, i.title,
           i.state, i.revision, i.created_at, i.created_by, i.updated_at, i.first_submitted_at, i.submitted_at,
           i.submitted_by, i.decided_at, i.decided_by,
           (SELECT replace(substr(min(a.at), 1, 23), 'T', ' ') FROM audit_log a
            WHERE a.entity_type = 'item' AND a.entity_id = CAST(i.id AS TEXT) AND a.action = 'item.confirm'),
           i.confirmed_version
    FROM items i LEFT JOIN schools s ON s.id = i.school_id
    JOIN municipalities m ON m.id = coalesce(i.municipality_id, s.municipality_id);
    DROP TABLE items;
    ALTER TABLE items_v2 RENAME TO items;
    CREATE INDEX items_school ON items(school_id, state, campaign_id);
    CREATE INDEX items_municipality ON items(municipality_id, state, campaign_id);
    CREATE INDEX items_region ON items(region_id, state, campaign_id);
    CREATE INDEX items_campaign ON items(campaign_id, state, submitted_at);
    CREATE UNIQUE INDEX items_measure ON items(measure_id);
    CREATE UNIQUE INDEX items_single_per_school ON items(campaign_id, school_id, kind)
        WHERE school_id IS NOT NULL AND kind IN (\(singleKindList));
    CREATE UNIQUE INDEX items_single_per_municipality ON items(campaign_id, municipality_id, kind)
        WHERE school_id IS NULL AND kind IN (\(singleKindList));
    CREATE UNIQUE INDEX items_antirisk_per_factor ON items(campaign_id, school_id, risk_factor_id)
        WHERE kind = 'antirisk_programme';

    CREATE TABLE measures_v2 (
        id INTEGER PRIMARY KEY,
        roadmap_id INTEGER NOT NULL REFERENCES items(id),
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
        school_id INTEGER REFERENCES schools(id),
        municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
        region_id INTEGER NOT NULL REFERENCES regions(id),
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
        report_first_confirmed_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    INSERT INTO measures_v2
    SELECT ms.id, ms.roadmap_id, i.campaign_id, i.school_id, i.municipality_id, i.region_id, ms.position,
           ms.risk_factor_id, ms.track, ms.task, ms.title, ms.due_date, ms.responsible, ms.expected_result,
           ms.indicator, ms.planned_value, ms.actual_value, ms.regional_measure, report.first_confirmed_at,
           ms.created_at, ms.updated_at
    FROM measures ms JOIN items i ON i.id = ms.roadmap_id LEFT JOIN items report ON report.measure_id = ms.id;
    DROP TABLE measures;
    ALTER TABLE measures_v2 RENAME TO measures;
    CREATE INDEX measures_roadmap ON measures(roadmap_id, position);
    CREATE INDEX measures_open_by_school ON measures(school_id, campaign_id, due_date)
        WHERE report_first_confirmed_at IS NULL;
    CREATE INDEX measures_open_by_municipality ON measures(municipality_id, campaign_id, due_date)
        WHERE report_first_confirmed_at IS NULL;
    CREATE INDEX measures_open_by_region ON measures(region_id, campaign_id, due_date)
        WHERE report_first_confirmed_at IS NULL;
    CREATE INDEX measures_open_by_campaign ON measures(campaign_id, due_date)
        WHERE report_first_confirmed_at IS NULL;
    CREATE INDEX measures_school ON measures(school_id, campaign_id);

    CREATE INDEX curator_assignments_school ON curator_assignments(school_id, campaign_id);

    CREATE TABLE school_progress (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
        school_id INTEGER NOT NULL REFERENCES schools(id),
        digest BLOB NOT NULL,
        UNIQUE (campaign_id, school_id)
    );
    """

    /// Indexes the query-plan test and the benchmark asked for: the overdue list grouped by territory
    /// and school, users by role and region (a region's curators), and a region's items newest first
    /// (equality on the region alone leaves them in rowid order, so a page reads only itself). The
    /// open-measure indexes carry the column their condition names: SQLite 3.40 reads the table row
    /// to test `report_first_confirmed_at IS NULL` unless the index holds it, partial or not.
    static let v3 = """
    CREATE INDEX items_region_newest ON items(region_id);
    DROP INDEX measures_open_by_school;
    DROP INDEX measures_open_by_municipality;
    DROP INDEX measures_open_by_region;
    DROP INDEX measures_open_by_campaign;
    CREATE INDEX measures_open_by_school ON measures(school_id, campaign_id, due_date, report_first_confirmed_at)
        WHERE report_first_confirmed_at IS NULL;
    CREATE INDEX measures_open_by_municipality ON measures(municipality_id, campaign_id, due_date, report_first_confirmed_at)
        WHERE report_first_confirmed_at IS NULL;
    CREATE INDEX measures_open_by_region ON measures(region_id, campaign_id, due_date, report_first_confirmed_at)
        WHERE report_first_confirmed_at IS NULL;
    CREATE INDEX measures_open_by_campaign ON measures(campaign_id, due_date, report_first_confirmed_at)
        WHERE report_first_confirmed_at IS NULL;
    CREATE INDEX measures_open_by_place ON measures(campaign_id, region_id, municipality_id, ifnull(school_id, 0), due_date,
        report_first_confirmed_at) WHERE report_first_confirmed_at IS NULL;
    CREATE INDEX user_roles_role ON user_roles(role, region_id);
    """

    private static let singleKindList = ItemKind.allCases.filter(\.isSinglePerOwner).map { "'\($0.rawValue)'" }
        .joined(separator: ",")

    /// Failed sign-ins, counted by the login throttle (an hour's worth is kept). The account's own
    /// counter and lock (`users.failed_logins`, `locked_until`) are no longer used: a lock anyone
    /// could trigger by guessing is what the throttle replaces. Sessions remember when they were
    /// last used, for the idle timeout. The audit chain is keyed: `audit_keys` records which key (by
    /// id; the secrets are outside the database) hashes the rows from which number on.
    static let v4 = """
    CREATE TABLE login_failures (
        id INTEGER PRIMARY KEY,
        login TEXT NOT NULL,
        address TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        settled INTEGER NOT NULL DEFAULT 0 CHECK (settled IN (0, 1))
    );
    CREATE INDEX login_failures_login ON login_failures(login, address, at_ms);
    CREATE INDEX login_failures_address ON login_failures(address, at_ms);
    CREATE INDEX login_failures_at ON login_failures(at_ms);
    UPDATE users SET failed_logins = 0, locked_until = NULL;
    ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
    CREATE TABLE audit_keys (
        key_id TEXT PRIMARY KEY,
        from_seq INTEGER NOT NULL UNIQUE
    );
    """

    /// Open measures (report never confirmed) counted by campaign, region and due date. A region's
    /// overdue total is then a sum over its few hundred due dates rather than a count of tens of
    /// thousands of index entries (0.9 ms a page at country size, and capped at 10 000; now exact).
    /// Triggers keep it in the statement that changes a measure, whoever writes it (scenarios, the
    /// generator, later migrations); `OpenMeasureDaysTests` holds it to a direct count. A row lives
    /// only while its count is positive.
    static let v5 = """
    CREATE TABLE open_measure_days (
        campaign_id INTEGER NOT NULL,
        region_id INTEGER NOT NULL,
        due_date TEXT NOT NULL,
        open_count INTEGER NOT NULL CHECK (open_count > 0),
        PRIMARY KEY (campaign_id, region_id, due_date)
    ) WITHOUT ROWID;
    INSERT INTO open_measure_days (campaign_id, region_id, due_date, open_count)
        SELECT campaign_id, region_id, due_date, count(*) FROM measures WHERE report_first_confirmed_at IS NULL
        GROUP BY campaign_id, region_id, due_date;
    CREATE TRIGGER measures_open_days_insert AFTER INSERT ON measures WHEN NEW.report_first_confirmed_at IS NULL BEGIN
        INSERT INTO open_measure_days (campaign_id, region_id, due_date, open_count)
            VALUES (NEW.campaign_id, NEW.region_id, NEW.due_date, 1)
            ON CONFLICT (campaign_id, region_id, due_date) DO UPDATE SET open_count = open_count + 1;
    END;
    CREATE TRIGGER measures_open_days_delete AFTER DELETE ON measures WHEN OLD.report_first_confirmed_at IS NULL BEGIN
        DELETE FROM open_measure_days WHERE campaign_id = OLD.campaign_id AND region_id = OLD.region_id
            AND due_date = OLD.due_date AND open_count = 1;
        UPDATE open_measure_days SET open_count = open_count - 1 WHERE campaign_id = OLD.campaign_id
            AND region_id = OLD.region_id AND due_date = OLD.due_date;
    END;
    CREATE TRIGGER measures_open_days_update AFTER UPDATE OF campaign_id, region_id, due_date, report_first_confirmed_at ON measures
    WHEN OLD.report_first_confirmed_at IS NULL OR NEW.report_first_confirmed_at IS NULL BEGIN
        DELETE FROM open_measure_days WHERE OLD.report_first_confirmed_at IS NULL AND campaign_id = OLD.campaign_id
            AND region_id = OLD.region_id AND due_date = OLD.due_date AND open_count = 1;
        UPDATE open_measure_days SET open_count = open_count - 1 WHERE OLD.report_first_confirmed_at IS NULL
            AND campaign_id = OLD.campaign_id AND region_id = OLD.region_id AND due_date = OLD.due_date;
        INSERT INTO open_measure_days (campaign_id, region_id, due_date, open_count)
            SELECT NEW.campaign_id, NEW.region_id, NEW.due_date, 1 WHERE NEW.report_first_confirmed_at IS NULL
            ON CONFLICT (campaign_id, region_id, due_date) DO UPDATE SET open_count = open_count + 1;
    END;
    """

    /// How many items share a territory, campaign, kind and state: a territory's list states its
    /// exact total by summing a few hundred of these rows instead of counting up to ten thousand
    /// index entries on every page (a third of a regional coordinator's request at national size).
    /// `municipal` tells a municipality's own items (no school) from its schools'.
    static let v6 = """
    CREATE TABLE item_tallies (
        region_id INTEGER NOT NULL,
        municipality_id INTEGER NOT NULL,
        campaign_id INTEGER NOT NULL,
        municipal INTEGER NOT NULL CHECK (municipal IN (0, 1)),
        kind TEXT NOT NULL,
        state TEXT NOT NULL,
        item_count INTEGER NOT NULL CHECK (item_count > 0),
        PRIMARY KEY (region_id, municipality_id, campaign_id, municipal, kind, state)
    ) WITHOUT ROWID;
    CREATE INDEX item_tallies_municipality ON item_tallies(municipality_id);
    INSERT INTO item_tallies (region_id, municipality_id, campaign_id, municipal, kind, state, item_count)
        SELECT region_id, municipality_id, campaign_id, school_id IS NULL, kind, state, count(*) FROM items
        GROUP BY region_id, municipality_id, campaign_id, school_id IS NULL, kind, state;
    CREATE TRIGGER items_tally_insert AFTER INSERT ON items BEGIN
        INSERT INTO item_tallies (region_id, municipality_id, campaign_id, municipal, kind, state, item_count)
            VALUES (NEW.region_id, NEW.municipality_id, NEW.campaign_id, NEW.school_id IS NULL, NEW.kind, NEW.state, 1)
            ON CONFLICT (region_id, municipality_id, campaign_id, municipal, kind, state) DO UPDATE SET item_count = item_count + 1;
    END;
    CREATE TRIGGER items_tally_delete AFTER DELETE ON items BEGIN
        DELETE FROM item_tallies WHERE region_id = OLD.region_id AND municipality_id = OLD.municipality_id
            AND campaign_id = OLD.campaign_id AND municipal = (OLD.school_id IS NULL) AND kind = OLD.kind AND state = OLD.state
            AND item_count = 1;
        UPDATE item_tallies SET item_count = item_count - 1 WHERE region_id = OLD.region_id AND municipality_id = OLD.municipality_id
            AND campaign_id = OLD.campaign_id AND municipal = (OLD.school_id IS NULL) AND kind = OLD.kind AND state = OLD.state;
    END;
    CREATE TRIGGER items_tally_update AFTER UPDATE OF region_id, municipality_id, campaign_id, school_id, kind, state ON items
    WHEN OLD.region_id IS NOT NEW.region_id OR OLD.municipality_id IS NOT NEW.municipality_id
        OR OLD.campaign_id IS NOT NEW.campaign_id OR (OLD.school_id IS NULL) IS NOT (NEW.school_id IS NULL)
        OR OLD.kind IS NOT NEW.kind OR OLD.state IS NOT NEW.state BEGIN
        DELETE FROM item_tallies WHERE region_id = OLD.region_id AND municipality_id = OLD.municipality_id
            AND campaign_id = OLD.campaign_id AND municipal = (OLD.school_id IS NULL) AND kind = OLD.kind AND state = OLD.state
            AND item_count = 1;
        UPDATE item_tallies SET item_count = item_count - 1 WHERE region_id = OLD.region_id AND municipality_id = OLD.municipality_id
            AND campaign_id = OLD.campaign_id AND municipal = (OLD.school_id IS NULL) AND kind = OLD.kind AND state = OLD.state;
        INSERT INTO item_tallies (region_id, municipality_id, campaign_id, municipal, kind, state, item_count)
            VALUES (NEW.region_id, NEW.municipality_id, NEW.campaign_id, NEW.school_id IS NULL, NEW.kind, NEW.state, 1)
            ON CONFLICT (region_id, municipality_id, campaign_id, municipal, kind, state) DO UPDATE SET item_count = item_count + 1;
    END;
    """

    /// A region's report lists each municipality's own roadmap: a small partial index finds the
    /// campaign's municipal roadmaps of a region without reading the region's 80,000 school items.
    static let v7 = """
    CREATE INDEX items_municipal_roadmaps ON items(campaign_id, region_id) WHERE school_id IS NULL AND kind = 'roadmap';
    """

    /// Measures as roadmap tables write them (imports): a due date may be missing (the deadline was
    /// not understood and waits for a person; such a measure is never overdue), the deadline's words
    /// are kept beside the date, the occurrences of a recurring or several-dated measure share a
    /// series (the first occurrence's id), and the rows above a measure give its stage, goal and
    /// section; a measure may name the normative document it rests on. Open-measure tallies count
    /// dated measures only.
    static let v8 = """
    CREATE TABLE measures_v3 (
        id INTEGER PRIMARY KEY,
        roadmap_id INTEGER NOT NULL REFERENCES items(id),
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
        school_id INTEGER REFERENCES schools(id),
        municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
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
    );
    INSERT INTO measures_v3 (id, roadmap_id, campaign_id, school_id, municipality_id, region_id, position, risk_factor_id, track,
        task, title, due_date, responsible, expected_result, indicator, planned_value, actual_value, regional_measure,
        report_first_confirmed_at, created_at, updated_at)
    SELECT id, roadmap_id, campaign_id, school_id, municipality_id, region_id, position, risk_factor_id, track,
        task, title, due_date, responsible, expected_result, indicator, planned_value, actual_value, regional_measure,
        report_first_confirmed_at, created_at, updated_at
    FROM measures ORDER BY id;
    DROP TABLE measures;
    ALTER TABLE measures_v3 RENAME TO measures;
    CREATE INDEX measures_roadmap ON measures(roadmap_id, position);
    CREATE INDEX measures_school ON measures(school_id, campaign_id);
    CREATE INDEX measures_open_by_school ON measures(school_id, campaign_id, due_date, report_first_confirmed_at)
        WHERE report_first_confirmed_at IS NULL;
    CREATE INDEX measures_open_by_municipality ON measures(municipality_id, campaign_id, due_date, report_first_confirmed_at)
        WHERE report_first_confirmed_at IS NULL;
    CREATE INDEX measures_open_by_region ON measures(region_id, campaign_id, due_date, report_first_confirmed_at)
        WHERE report_first_confirmed_at IS NULL;
    CREATE INDEX measures_open_by_campaign ON measures(campaign_id, due_date, report_first_confirmed_at)
        WHERE report_first_confirmed_at IS NULL;
    CREATE INDEX measures_open_by_place ON measures(campaign_id, region_id, municipality_id, ifnull(school_id, 0), due_date,
        report_first_confirmed_at) WHERE report_first_confirmed_at IS NULL;
    CREATE TRIGGER measures_open_days_insert AFTER INSERT ON measures
    WHEN NEW.report_first_confirmed_at IS NULL AND NEW.due_date IS NOT NULL BEGIN
        INSERT INTO open_measure_days (campaign_id, region_id, due_date, open_count)
            VALUES (NEW.campaign_id, NEW.region_id, NEW.due_date, 1)
            ON CONFLICT (campaign_id, region_id, due_date) DO UPDATE SET open_count = open_count + 1;
    END;
    CREATE TRIGGER measures_open_days_delete AFTER DELETE ON measures
    WHEN OLD.report_first_confirmed_at IS NULL AND OLD.due_date IS NOT NULL BEGIN
        DELETE FROM open_measure_days WHERE campaign_id = OLD.campaign_id AND region_id = OLD.region_id
            AND due_date = OLD.due_date AND open_count = 1;
        UPDATE open_measure_days SET open_count = open_count - 1 WHERE campaign_id = OLD.campaign_id
            AND region_id = OLD.region_id AND due_date = OLD.due_date;
    END;
    CREATE TRIGGER measures_open_days_update AFTER UPDATE OF campaign_id, region_id, due_date, report_first_confirmed_at ON measures
    WHEN OLD.report_first_confirmed_at IS NULL OR NEW.report_first_confirmed_at IS NULL BEGIN
        DELETE FROM open_measure_days WHERE OLD.report_first_confirmed_at IS NULL AND campaign_id = OLD.campaign_id
            AND region_id = OLD.region_id AND due_date = OLD.due_date AND open_count = 1;
        UPDATE open_measure_days SET open_count = open_count - 1 WHERE OLD.report_first_confirmed_at IS NULL
            AND campaign_id = OLD.campaign_id AND region_id = OLD.region_id AND due_date = OLD.due_date;
        INSERT INTO open_measure_days (campaign_id, region_id, due_date, open_count)
            SELECT NEW.campaign_id, NEW.region_id, NEW.due_date, 1
            WHERE NEW.report_first_confirmed_at IS NULL AND NEW.due_date IS NOT NULL
            ON CONFLICT (campaign_id, region_id, due_date) DO UPDATE SET open_count = open_count + 1;
    END;
    """

    /// FIOCO's evaluation of municipal packages: a version per judgement, never changed afterwards
    /// (like file versions), its scores by position beside it, and what the system found then.
    static let v9 = """
    CREATE TABLE package_evaluations (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
        municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
        region_id INTEGER NOT NULL REFERENCES regions(id),
        version INTEGER NOT NULL CHECK (version > 0),
        evaluated_at TEXT NOT NULL,
        evaluator_id INTEGER NOT NULL REFERENCES users(id),
        evaluator_role TEXT NOT NULL CHECK (evaluator_role IN (\(roleList))),
        total INTEGER NOT NULL,
        maximum INTEGER NOT NULL,
        findings TEXT NOT NULL,
        UNIQUE (campaign_id, municipality_id, version)
    );
    CREATE INDEX package_evaluations_region ON package_evaluations(campaign_id, region_id, municipality_id, version);
    CREATE TABLE package_evaluation_scores (
        evaluation_id INTEGER NOT NULL REFERENCES package_evaluations(id),
        position TEXT NOT NULL,
        score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 2),
        comment TEXT NOT NULL,
        PRIMARY KEY (evaluation_id, position)
    ) WITHOUT ROWID;
    CREATE TRIGGER package_evaluations_immutable BEFORE UPDATE ON package_evaluations
    BEGIN SELECT RAISE(ABORT, 'package evaluations are immutable'); END;
    CREATE TRIGGER package_evaluations_undeletable BEFORE DELETE ON package_evaluations
    BEGIN SELECT RAISE(ABORT, 'package evaluations are immutable'); END;
    CREATE TRIGGER package_evaluation_scores_immutable BEFORE UPDATE ON package_evaluation_scores
    BEGIN SELECT RAISE(ABORT, 'package evaluations are immutable'); END;
    CREATE TRIGGER package_evaluation_scores_undeletable BEFORE DELETE ON package_evaluation_scores
    BEGIN SELECT RAISE(ABORT, 'package evaluations are immutable'); END;
    """

    /// A region's own items (its regional roadmap) and their measures have no municipality. SQLite
    /// documents removing a NOT NULL constraint by editing the table's stored definition (the
    /// "writable_schema" procedure of ALTER TABLE's "other kinds of schema changes"): rows on disk
    /// do not change, so it costs nothing at national size, where rebuilding `items` and
    /// `measures` took minutes. Every existing row keeps its municipality.
    static func relaxMunicipalityForRegionalItems(_ db: Database) throws {
        let required = "municipality_id INTEGER NOT NULL REFERENCES municipalities(id)"
        let optional = "municipality_id INTEGER REFERENCES municipalities(id)"
        let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        try db.execute(sql: "PRAGMA writable_schema = ON")
        try db.execute(sql: "UPDATE sqlite_schema SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name IN ('items', 'measures')",
                       arguments: [required, optional])
        let changed = db.changesCount
        try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
        try db.execute(sql: "PRAGMA writable_schema = OFF")
        guard changed == 2, try Int.fetchOne(db, sql: """
            SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('items', 'measures') AND instr(sql, ?) > 0
            """, arguments: [optional]) == 2 else {
            throw MEDKError(.internalFailure, code: "unexpected_schema",
                            message: "Схема базы данных отличается от ожидаемой: миграция v10 не применена, данные не изменены.")
        }
    }

    /// Whose item a row of `items` is, as the tallies count it: 0 a school's, 1 a municipality's own, 2 the region's own.
    private static func tallyOwner(_ row: String) -> String {
        "CASE WHEN \(row).school_id IS NOT NULL THEN 0 WHEN \(row).municipality_id IS NOT NULL THEN 1 ELSE 2 END"
    }

    /// Counts the item `row` (NEW) in its tally.
    private static func tallyAdd(_ row: String) -> String {
        """
            INSERT INTO item_tallies (region_id, municipality_id, campaign_id, owner, kind, state, item_count)
                VALUES (\(row).region_id, ifnull(\(row).municipality_id, 0), \(row).campaign_id, \(tallyOwner(row)), \(row).kind, \(row).state, 1)
                ON CONFLICT (region_id, municipality_id, campaign_id, owner, kind, state) DO UPDATE SET item_count = item_count + 1;
        """
    }

    /// Takes the item `row` (OLD) out of its tally, dropping the tally when it was the last.
    private static func tallyRemove(_ row: String) -> String {
        let key = """
            region_id = \(row).region_id AND municipality_id = ifnull(\(row).municipality_id, 0) AND campaign_id = \(row).campaign_id
                    AND owner = \(tallyOwner(row)) AND kind = \(row).kind AND state = \(row).state
            """
        return """
            DELETE FROM item_tallies WHERE \(key) AND item_count = 1;
            UPDATE item_tallies SET item_count = item_count - 1 WHERE \(key);
        """
    }

    /// Regional roadmaps: one per region and campaign; the item tallies told apart by owner (0 a
    /// school's item, 1 a municipality's own, 2 the region's own, whose municipality is 0); the
    /// overdue list by place puts a region's own measures (no municipality) before its municipalities'.
    static let v10 = """
    CREATE UNIQUE INDEX items_single_per_region ON items(campaign_id, region_id, kind)
        WHERE school_id IS NULL AND municipality_id IS NULL AND kind IN (\(singleKindList));
    DROP INDEX measures_open_by_place;
    CREATE INDEX measures_open_by_place ON measures(campaign_id, region_id, ifnull(municipality_id, 0), ifnull(school_id, 0),
        due_date, report_first_confirmed_at) WHERE report_first_confirmed_at IS NULL;
    DROP TRIGGER IF EXISTS items_tally_insert;
    DROP TRIGGER IF EXISTS items_tally_delete;
    DROP TRIGGER IF EXISTS items_tally_update;
    DROP TABLE IF EXISTS item_tallies;
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
    CREATE INDEX item_tallies_municipality ON item_tallies(municipality_id);
    INSERT INTO item_tallies (region_id, municipality_id, campaign_id, owner, kind, state, item_count)
        SELECT region_id, ifnull(municipality_id, 0), campaign_id, \(tallyOwner("items")), kind, state, count(*)
        FROM items GROUP BY 1, 2, 3, 4, 5, 6;
    CREATE TRIGGER items_tally_insert AFTER INSERT ON items BEGIN
    \(tallyAdd("NEW"))
    END;
    CREATE TRIGGER items_tally_delete AFTER DELETE ON items BEGIN
    \(tallyRemove("OLD"))
    END;
    CREATE TRIGGER items_tally_update AFTER UPDATE OF region_id, municipality_id, campaign_id, school_id, kind, state ON items
    WHEN OLD.region_id IS NOT NEW.region_id OR OLD.municipality_id IS NOT NEW.municipality_id
        OR OLD.campaign_id IS NOT NEW.campaign_id OR (OLD.school_id IS NULL) IS NOT (NEW.school_id IS NULL)
        OR OLD.kind IS NOT NEW.kind OR OLD.state IS NOT NEW.state BEGIN
    \(tallyRemove("OLD"))
    \(tallyAdd("NEW"))
    END;
    """

    /// A municipal measure names the regional measure it implements by reference. The index serves
    /// both "what implements this regional measure" and the foreign-key check when a regional
    /// measure is deleted (without it, a scan of every measure in the country).
    static let v11 = """
    ALTER TABLE measures ADD COLUMN regional_measure_id INTEGER REFERENCES measures(id);
    CREATE INDEX measures_regional_measure ON measures(regional_measure_id);
    """

    /// Every review round of every item: from a submission to the decision (or the owner's
    /// withdrawal) that ended it, with who decided and how long it waited. It is what reviewers'
    /// response times are reported from, by territory and period, without replaying the audit
    /// trail; triggers on `items` keep it, so every write path (the use cases, the generator)
    /// fills it the same way. The territory is copied in because reports filter by it first; the
    /// indexes on decisions cover what a report reads, so a country's year of decisions (two
    /// million) is read from them in order of time without a lookup into the table for each.
    static let v12 = """
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
    CREATE INDEX review_rounds_region_closed
        ON review_rounds(region_id, closed_at, municipality_id, campaign_id, outcome, closed_by, wait_seconds) WHERE closed_at IS NOT NULL;
    CREATE INDEX review_rounds_closed
        ON review_rounds(closed_at, campaign_id, outcome, closed_by, wait_seconds, region_id) WHERE closed_at IS NOT NULL;
    CREATE INDEX review_rounds_open
        ON review_rounds(region_id, submitted_at, campaign_id, municipality_id, school_id, closed_at) WHERE closed_at IS NULL;
    CREATE TRIGGER review_round_opens AFTER UPDATE OF state ON items
    WHEN NEW.state = 'submitted' AND OLD.state <> 'submitted' BEGIN
        INSERT INTO review_rounds (item_id, round, campaign_id, region_id, municipality_id, school_id, submitted_at)
        VALUES (NEW.id, (SELECT count(*) + 1 FROM review_rounds WHERE item_id = NEW.id), NEW.campaign_id, NEW.region_id,
                NEW.municipality_id, NEW.school_id, NEW.submitted_at);
    END;
    CREATE TRIGGER review_round_decided AFTER UPDATE OF state ON items
    WHEN OLD.state = 'submitted' AND NEW.state IN ('confirmed', 'returned') BEGIN
        UPDATE review_rounds SET closed_at = NEW.decided_at, closed_by = NEW.decided_by, outcome = NEW.state,
            wait_seconds = CAST(round((julianday(NEW.decided_at) - julianday(submitted_at)) * 86400) AS INTEGER)
        WHERE item_id = NEW.id AND closed_at IS NULL;
    END;
    CREATE TRIGGER review_round_withdrawn AFTER UPDATE OF state ON items
    WHEN OLD.state = 'submitted' AND NEW.state = 'draft' BEGIN
        UPDATE review_rounds SET closed_at = NEW.updated_at, outcome = 'withdrawn',
            wait_seconds = CAST(round((julianday(NEW.updated_at) - julianday(submitted_at)) * 86400) AS INTEGER)
        WHERE item_id = NEW.id AND closed_at IS NULL;
    END;
    """

    /// The rounds of items reviewed before v12, from the audit trail: each submission paired with
    /// the step that ended it (the state machine allows nothing else between them).
    static let v12Backfill = """
    WITH steps AS (
        SELECT CAST(entity_id AS INTEGER) AS item_id, seq, action, actor_id,
               replace(replace(at, 'T', ' '), 'Z', '') AS at,
               lead(action) OVER (PARTITION BY entity_id ORDER BY seq) AS next_action,
               lead(actor_id) OVER (PARTITION BY entity_id ORDER BY seq) AS next_actor,
               lead(replace(replace(at, 'T', ' '), 'Z', '')) OVER (PARTITION BY entity_id ORDER BY seq) AS next_at
        FROM audit_log
        WHERE entity_type = 'item' AND action IN ('item.submit', 'item.confirm', 'item.return', 'item.withdraw')
    ), rounds AS (
        SELECT item_id, at AS submitted_at, row_number() OVER (PARTITION BY item_id ORDER BY seq) AS round,
               next_at AS closed_at,
               CASE next_action WHEN 'item.confirm' THEN 'confirmed' WHEN 'item.return' THEN 'returned'
                                WHEN 'item.withdraw' THEN 'withdrawn' END AS outcome,
               CASE WHEN next_action IN ('item.confirm', 'item.return') THEN next_actor END AS closed_by
        FROM steps WHERE action = 'item.submit'
    )
    INSERT INTO review_rounds (item_id, round, campaign_id, region_id, municipality_id, school_id, submitted_at,
                               closed_at, closed_by, outcome, wait_seconds)
    SELECT r.item_id, r.round, i.campaign_id, i.region_id, i.municipality_id, i.school_id, r.submitted_at,
           r.closed_at, r.closed_by, r.outcome,
           CASE WHEN r.closed_at IS NOT NULL
                THEN CAST(round((julianday(r.closed_at) - julianday(r.submitted_at)) * 86400) AS INTEGER) END
    FROM rounds r JOIN items i ON i.id = r.item_id;
    """

    /// Mail: the transactional outbox (a message is recorded in the transaction of the event or the
    /// planning that causes it, and a worker sends it; `dedupe_key` keeps one message per fact and
    /// recipient whatever restarts), users' choices of what they receive (and a coordinator's
    /// weekday for the digest, 1 = Monday), the regions' reminder and escalation settings, and
    /// which regions' reminders are planned for which local day. And measures by the time their
    /// report was confirmed, from which the dashboard derives the trend of overdue measures.
    static let v13 = """
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
    );
    CREATE INDEX mail_outbox_due ON mail_outbox(next_attempt_at) WHERE state = 'pending';
    CREATE INDEX mail_outbox_user ON mail_outbox(user_id);
    CREATE TABLE mail_preferences (
        user_id INTEGER PRIMARY KEY REFERENCES users(id),
        disabled_kinds TEXT NOT NULL DEFAULT '',
        unsubscribe_token TEXT NOT NULL UNIQUE,
        digest_weekday INTEGER NOT NULL DEFAULT 1 CHECK (digest_weekday BETWEEN 1 AND 7)
    );
    CREATE TABLE region_reminder_settings (
        region_id INTEGER PRIMARY KEY REFERENCES regions(id),
        days_before TEXT NOT NULL,
        review_working_days INTEGER NOT NULL,
        escalation_days TEXT NOT NULL
    );
    CREATE TABLE reminder_plans (
        region_id INTEGER NOT NULL REFERENCES regions(id),
        plan_date TEXT NOT NULL,
        planned_at TEXT NOT NULL,
        PRIMARY KEY (region_id, plan_date)
    ) WITHOUT ROWID;
    CREATE INDEX user_roles_school ON user_roles(school_id) WHERE school_id IS NOT NULL;
    CREATE INDEX user_roles_municipality ON user_roles(municipality_id) WHERE municipality_id IS NOT NULL;
    CREATE INDEX measures_confirmed ON measures(region_id, campaign_id, report_first_confirmed_at, due_date, municipality_id)
        WHERE report_first_confirmed_at IS NOT NULL;
    """

    /// Hardening: devices that signed in before (their tokens hashed) with their own failure budget
    /// (`device_id` on an attempt); and unsubscribe links that belong to one message — its kind and
    /// the address it went to — stored as the token's hash on the message, in place of one clear
    /// token per user. Links already sent stop working: they did more than they said.
    static let v14 = """
    ALTER TABLE login_failures ADD COLUMN device_id INTEGER;
    CREATE INDEX login_failures_device ON login_failures(device_id, at_ms) WHERE device_id IS NOT NULL;
    CREATE TABLE login_devices (
        id INTEGER PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        user_id INTEGER NOT NULL REFERENCES users(id),
        last_signed_in_ms INTEGER NOT NULL
    );
    CREATE INDEX login_devices_user ON login_devices(user_id, last_signed_in_ms);
    ALTER TABLE mail_outbox ADD COLUMN unsubscribe_hash TEXT;
    CREATE UNIQUE INDEX mail_outbox_unsubscribe ON mail_outbox(unsubscribe_hash) WHERE unsubscribe_hash IS NOT NULL;
    CREATE TABLE mail_preferences_v14 (
        user_id INTEGER PRIMARY KEY REFERENCES users(id),
        disabled_kinds TEXT NOT NULL DEFAULT '',
        digest_weekday INTEGER NOT NULL DEFAULT 1 CHECK (digest_weekday BETWEEN 1 AND 7)
    );
    INSERT INTO mail_preferences_v14 (user_id, disabled_kinds, digest_weekday)
        SELECT user_id, disabled_kinds, digest_weekday FROM mail_preferences;
    DROP TABLE mail_preferences;
    ALTER TABLE mail_preferences_v14 RENAME TO mail_preferences;
    """

    /// Forms the server refused, kept for an hour so that their pages show them again as typed.
    static let v15 = """
    CREATE TABLE form_drafts (
        id TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL,
        body TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX form_drafts_user ON form_drafts(user_id, created_at);
    CREATE INDEX form_drafts_created ON form_drafts(created_at);
    """

    /// Only commitments are overdue: a measure is one from the moment its roadmap is sent to review
    /// with it (a trigger on the roadmap's state, whoever writes it), and stays one when the roadmap
    /// is returned or reopened; a measure added to a revision is one when the revision is sent. A
    /// measure whose report was confirmed is one at the latest then. Before v16, commitment is the
    /// first submission of the roadmap at or after the measure was added (`review_rounds` keeps every
    /// submission). The open-measure indexes and the per-day counts hold open commitments only.
    static let v16Backfill = """
    UPDATE measures SET committed_at = (
        SELECT min(rr.submitted_at) FROM review_rounds rr WHERE rr.item_id = measures.roadmap_id AND rr.submitted_at >= measures.created_at);
    UPDATE measures SET committed_at = report_first_confirmed_at WHERE committed_at IS NULL AND report_first_confirmed_at IS NOT NULL;
    """

    static let v16 = """
    CREATE TRIGGER roadmap_commits_measures AFTER UPDATE OF state ON items
    WHEN NEW.kind = 'roadmap' AND NEW.state = 'submitted' AND OLD.state <> 'submitted' BEGIN
        UPDATE measures SET committed_at = NEW.updated_at WHERE roadmap_id = NEW.id AND committed_at IS NULL;
    END;
    DROP TRIGGER measures_open_days_insert;
    DROP TRIGGER measures_open_days_update;
    DROP TRIGGER measures_open_days_delete;
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
    CREATE TRIGGER measures_open_days_delete AFTER DELETE ON measures
    WHEN OLD.report_first_confirmed_at IS NULL AND OLD.due_date IS NOT NULL AND OLD.committed_at IS NOT NULL BEGIN
        DELETE FROM open_measure_days WHERE campaign_id = OLD.campaign_id AND region_id = OLD.region_id
            AND due_date = OLD.due_date AND open_count = 1;
        UPDATE open_measure_days SET open_count = open_count - 1 WHERE campaign_id = OLD.campaign_id
            AND region_id = OLD.region_id AND due_date = OLD.due_date;
    END;
    DELETE FROM open_measure_days;
    INSERT INTO open_measure_days (campaign_id, region_id, due_date, open_count)
        SELECT campaign_id, region_id, due_date, count(*) FROM measures
        WHERE report_first_confirmed_at IS NULL AND due_date IS NOT NULL AND committed_at IS NOT NULL
        GROUP BY campaign_id, region_id, due_date;
    DROP INDEX measures_open_by_school;
    DROP INDEX measures_open_by_municipality;
    DROP INDEX measures_open_by_region;
    DROP INDEX measures_open_by_campaign;
    DROP INDEX measures_open_by_place;
    CREATE INDEX measures_open_by_school ON measures(school_id, campaign_id, due_date, report_first_confirmed_at)
        WHERE report_first_confirmed_at IS NULL AND committed_at IS NOT NULL;
    CREATE INDEX measures_open_by_municipality ON measures(municipality_id, campaign_id, due_date, report_first_confirmed_at,
        committed_at) WHERE report_first_confirmed_at IS NULL AND committed_at IS NOT NULL;
    CREATE INDEX measures_open_by_region ON measures(region_id, campaign_id, due_date, report_first_confirmed_at, committed_at)
        WHERE report_first_confirmed_at IS NULL AND committed_at IS NOT NULL;
    CREATE INDEX measures_open_by_campaign ON measures(campaign_id, due_date, report_first_confirmed_at)
        WHERE report_first_confirmed_at IS NULL AND committed_at IS NOT NULL;
    CREATE INDEX measures_open_by_place ON measures(campaign_id, region_id, ifnull(municipality_id, 0), ifnull(school_id, 0),
        due_date, report_first_confirmed_at) WHERE report_first_confirmed_at IS NULL AND committed_at IS NOT NULL;
    DROP INDEX measures_confirmed;
    CREATE INDEX measures_confirmed ON measures(region_id, campaign_id, report_first_confirmed_at, due_date, municipality_id,
        committed_at) WHERE report_first_confirmed_at IS NOT NULL;
    """

    /// A reviewer's return holds remarks, each answered by the owner (done, or why not) and closed by
    /// the reviewer (at the next confirmation, or at a return that does not keep it open). Documents
    /// returned before have none: their comment is shown as before and they are sent again without answers.
    static let v17 = """
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
    CREATE INDEX remarks_item ON remarks(item_id, id);
    """

    /// Documents lists ordered by the last change or by title, a page at a time at the country's size.
    static let v18 = """
    CREATE INDEX items_updated ON items(updated_at, id);
    CREATE INDEX items_title ON items(title, id);
    """

    /// What identification rests on (issue 23): each school's exam means per year, and its social
    /// indicators per year. A correction replaces the value; the import's audit record keeps the file's hash.
    static let v19 = """
    CREATE TABLE school_results (
        school_id INTEGER NOT NULL REFERENCES schools(id),
        year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        exam TEXT NOT NULL CHECK (exam IN ('ege', 'oge', 'vpr4')),
        subject TEXT NOT NULL CHECK (subject IN ('russian', 'mathematics')),
        mean REAL NOT NULL,
        participants INTEGER NOT NULL CHECK (participants >= 0),
        PRIMARY KEY (school_id, year, exam, subject)
    ) WITHOUT ROWID;
    CREATE TABLE school_social (
        school_id INTEGER NOT NULL REFERENCES schools(id),
        year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        indicator TEXT NOT NULL,
        value REAL NOT NULL,
        PRIMARY KEY (school_id, year, indicator)
    ) WITHOUT ROWID;
    """

    /// Identification made reproducible (issue 23). Results and social data become versions: each
    /// import is a numbered batch, a correction closes the old value at that batch and opens the new
    /// one, so a list that names the batch it was made from reads exactly the data it was made from.
    /// Methods are stored per region with a version and the hash of their definition; a list keeps
    /// its method, rules, data batch and the hashes of its inputs and run; municipal coordinators'
    /// objections are kept with the region's decision on each.
    static let v20 = """
    CREATE TABLE results_imports (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('components', 'social')),
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        imported_by INTEGER REFERENCES users(id)
    );
    INSERT INTO results_imports (id, kind, file_name, sha256, imported_at)
        SELECT 1, 'components', '', '', strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE EXISTS (SELECT 1 FROM school_results);
    INSERT INTO results_imports (id, kind, file_name, sha256, imported_at)
        SELECT 2, 'social', '', '', strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE EXISTS (SELECT 1 FROM school_social);
    ALTER TABLE school_results RENAME TO school_results_v19;
    ALTER TABLE school_social RENAME TO school_social_v19;
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
    CREATE UNIQUE INDEX school_results_current ON school_results(school_id, year, exam, subject) WHERE valid_to IS NULL;
    INSERT INTO school_results SELECT school_id, year, exam, subject, mean, participants, 1, NULL FROM school_results_v19;
    DROP TABLE school_results_v19;
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
    CREATE UNIQUE INDEX school_social_current ON school_social(school_id, year, indicator) WHERE valid_to IS NULL;
    INSERT INTO school_social SELECT school_id, year, indicator, value, 2, NULL FROM school_social_v19;
    DROP TABLE school_social_v19;
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
    CREATE UNIQUE INDEX identification_lists_one_draft ON identification_lists(region_id) WHERE state = 'draft';
    CREATE INDEX identification_lists_region ON identification_lists(region_id, year, id);
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
    CREATE INDEX identification_objections_list ON identification_objections(list_id, school_id, id);
    """

    /// A region's target indicators (issue 23): each with a plan per year (the wording and how it
    /// was read, as JSON) and, for those the region enters, a fact per year.
    static let v21 = """
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
    CREATE TABLE indicator_plans (
        indicator_id INTEGER NOT NULL REFERENCES target_indicators(id),
        year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        target TEXT NOT NULL,
        PRIMARY KEY (indicator_id, year)
    ) WITHOUT ROWID;
    CREATE TABLE indicator_facts (
        indicator_id INTEGER NOT NULL REFERENCES target_indicators(id),
        year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        value REAL NOT NULL,
        comment TEXT,
        entered_at TEXT NOT NULL,
        entered_by INTEGER REFERENCES users(id),
        PRIMARY KEY (indicator_id, year)
    ) WITHOUT ROWID;
    """

    /// An entered fact rests on a document of the region, reviewed like any other (issue 23).
    static let v22 = """
    ALTER TABLE indicator_facts ADD COLUMN evidence_item_id INTEGER REFERENCES items(id);
    CREATE INDEX items_regional_documents ON items(region_id, id) WHERE school_id IS NULL AND municipality_id IS NULL;
    """

    /// Who sends mail now (issue 24): one worker at a time, whichever server it runs in; the same
    /// text on PostgreSQL (`PGSchema`, version 2).
    static let mailLease = """
    CREATE TABLE mail_lease (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        holder TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    """

    /// The messages an operator watches (`/metrics`: queued, being sent, failed, uncertain, the
    /// oldest queued), counted from an index of their own rather than by reading a years-long
    /// outbox of sent mail on every scrape. The same on PostgreSQL (`PGSchema`, version 6).
    static let mailUnsettled = """
    CREATE INDEX mail_outbox_unsettled ON mail_outbox(state, created_at)
        WHERE state IN ('pending', 'sending', 'failed', 'uncertain');
    """

    /// A counter per municipality that every change of what the compliance report and the dashboard
    /// read there moves on — a school's stored progress, its taking part in a campaign, a measure, the
    /// school, municipality or region itself — in the transaction that makes the change. A region's parts of the country's
    /// report and dashboard are kept between requests while its counters stand still (`RegionPartsCache`).
    /// PostgreSQL keeps the same counters by its own triggers (`PGSchema`, version 7).
    static let complianceRevisions: String = {
        /// Moves on the counters of the municipalities `rows` names (`VALUES (…)` or a `SELECT … WHERE`).
        func bump(_ rows: String) -> String {
            "INSERT INTO compliance_revisions (municipality_id, revision) \(rows) ON CONFLICT (municipality_id) DO UPDATE SET revision = revision + 1;"
        }
        func ofSchool(_ row: String) -> String { bump("SELECT municipality_id, 1 FROM schools WHERE id = \(row).school_id") }
        // A measure of a school or municipality moves its municipality on; a region's own measure, the
        // region's first municipality (any one moves the region's sum).
        func ofMeasure(_ row: String) -> String {
            bump("SELECT coalesce(\(row).municipality_id, (SELECT min(id) FROM municipalities WHERE region_id = \(row).region_id)), 1 WHERE true")
        }
        return """
        CREATE TABLE compliance_revisions (
            municipality_id INTEGER PRIMARY KEY REFERENCES municipalities(id),
            revision INTEGER NOT NULL
        );
        CREATE TRIGGER school_progress_compliance_inserted AFTER INSERT ON school_progress BEGIN \(ofSchool("NEW")) END;
        CREATE TRIGGER school_progress_compliance_updated AFTER UPDATE ON school_progress BEGIN \(ofSchool("NEW")) END;
        CREATE TRIGGER school_progress_compliance_deleted AFTER DELETE ON school_progress BEGIN \(ofSchool("OLD")) END;
        CREATE TRIGGER campaign_schools_compliance_inserted AFTER INSERT ON campaign_schools BEGIN \(ofSchool("NEW")) END;
        CREATE TRIGGER campaign_schools_compliance_deleted AFTER DELETE ON campaign_schools BEGIN \(ofSchool("OLD")) END;
        CREATE TRIGGER schools_compliance_updated AFTER UPDATE ON schools BEGIN
            \(bump("VALUES (OLD.municipality_id, 1)")) \(bump("VALUES (NEW.municipality_id, 1)"))
        END;
        CREATE TRIGGER municipalities_compliance_updated AFTER UPDATE ON municipalities BEGIN \(bump("VALUES (NEW.id, 1)")) END;
        CREATE TRIGGER regions_compliance_updated AFTER UPDATE ON regions BEGIN
            \(bump("SELECT id, 1 FROM municipalities WHERE region_id = NEW.id"))
        END;
        CREATE TRIGGER measures_compliance_inserted AFTER INSERT ON measures BEGIN \(ofMeasure("NEW")) END;
        CREATE TRIGGER measures_compliance_updated AFTER UPDATE ON measures BEGIN \(ofMeasure("NEW")) END;
        CREATE TRIGGER measures_compliance_deleted AFTER DELETE ON measures BEGIN \(ofMeasure("OLD")) END;
        """
    }()

    /// Roadmap tables between preview and «apply» (issue 24: in the database, not a server's
    /// directory, so any server may apply what another previewed). The same text on PostgreSQL
    /// (`PGSchema`, version 3) with its name for bytes.
    static func stagedImports(bytes: String) -> String {
        """
        CREATE TABLE staged_imports (
            token TEXT PRIMARY KEY,
            owner_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            staged_at TEXT NOT NULL,
            data \(bytes) NOT NULL
        );
        CREATE INDEX staged_imports_owner ON staged_imports(owner_id, staged_at);
        CREATE INDEX staged_imports_age ON staged_imports(staged_at);
        """
    }
}
