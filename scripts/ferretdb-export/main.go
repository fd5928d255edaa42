// Command ferretdb-export serves a data folder of Debrief's earlier embedded engine (FerretDB 1.24 over
// SQLite) on a loopback port, for `npm run cli -- migrate-ferretdb` to copy into the current engine. It
// is built on demand by that command only, and stops when its standard input closes.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (loopback only)")
	dataDir := flag.String("data", "", "the FerretDB/SQLite data folder (DATA_DIR/engine)")
	flag.Parse()

	abs, err := filepath.Abs(*dataDir)
	if err != nil || *dataDir == "" {
		fail("-data names no folder")
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		fail("cannot start: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		stop()
	}()
	go func() {
		fmt.Printf("ready %s\n", f.MongoDBURI()) // blocks until the listener is bound
	}()
	if err := f.Run(ctx); err != nil {
		fail("stopped with error: %v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ferretdb-export: "+format+"\n", args...)
	os.Exit(1)
}
