package main

// FerretDB 1.24's SQLite backend looks documents up by _id with the path expression
// `_ferretdb_sjson->'$._id'` (finds, updates and deletes alike), but it builds the _id index on
// `_ferretdb_sjson->"_id"`. SQLite only uses an expression index for the very expression it was built
// on, so every statement on _id scanned the whole table: an update by _id took 11 ms at 500 documents
// and 69 ms at 10,000, and every write-heavy path in Debrief slowed down as its collections grew.
//
// The engine works around it from the outside, without touching FerretDB: a sweeper adds a second,
// plain index on the expression FerretDB's statements use to every collection table it finds. FerretDB
// keeps its own index list in its metadata table and never sees this one; SQLite maintains it like
// any other, and drops it with its table when a collection or database is dropped.

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the driver FerretDB itself uses (registered as "sqlite")
)

const (
	// idIndexSuffix names the extra index "<table>" + suffix; FerretDB's own are "<table>_<name>".
	idIndexSuffix = "__debrief_id_path"
	// idIndexExpr must be the exact text of FerretDB's metadata.IDColumn for SQLite to use the index.
	idIndexExpr = `_ferretdb_sjson->'$._id'`
)

// sweepIDIndexes adds the missing index every interval until ctx ends. Collections are created at
// any time (mongoose creates them on start-up, tests drop and re-create whole databases), so it polls:
// a sweep is two small reads per database file when there is nothing to do.
func sweepIDIndexes(ctx context.Context, dataDir string, interval time.Duration, logger *slog.Logger) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		files, _ := filepath.Glob(filepath.Join(dataDir, "*.sqlite"))
		for _, file := range files {
			if err := addIDIndexes(ctx, file); err != nil && ctx.Err() == nil {
				// Not fatal: without the index FerretDB is slower, never wrong.
				logger.Debug("id index sweep", "file", filepath.Base(file), "error", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

func addIDIndexes(ctx context.Context, file string) error {
	// mode=rw: never create a file FerretDB has just dropped (it would then list it as a database).
	db, err := sql.Open("sqlite", "file:"+file+"?mode=rw&_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	missing, err := tablesWithoutIDIndex(ctx, db)
	if err != nil {
		return err
	}
	for _, table := range missing {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (%s)`, table+idIndexSuffix, table, idIndexExpr)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	return nil
}

func tablesWithoutIDIndex(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `
		SELECT c.table_name FROM _ferretdb_collections c
		JOIN sqlite_master t ON t.type = 'table' AND t.name = c.table_name
		WHERE NOT EXISTS (
			SELECT 1 FROM sqlite_master i WHERE i.type = 'index' AND i.name = c.table_name || ?
		)`, idIndexSuffix)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		tables = append(tables, name)
	}
	return tables, rows.Err()
}
