// Command debrief-engine serves Debrief's embedded database: FerretDB 1.24 (the MongoDB wire
// protocol) over SQLite files in a data folder, bound to loopback. It exists because FerretDB's own
// command panics when built with `go install` (its version files are not in the module); the
// embeddable package has no such check and turns telemetry off.
//
// It stops cleanly on SIGINT/SIGTERM, and also when its standard input closes, so that it never
// outlives the Node process that started it (even after that process was killed with -9).
//
// Clients reach FerretDB through a relay (relay.go) that makes each update atomic, as MongoDB's are.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof" // only served with -pprof
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (loopback only)")
	unixSocket := flag.String("unix", "", "also listen on this Unix domain socket (cheaper than loopback TCP per round trip)")
	dataDir := flag.String("data", "data/engine", "folder for the SQLite database files")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	watchStdin := flag.Bool("watch-stdin", true, "stop when standard input reaches end of file")
	pprofAddr := flag.String("pprof", "", "serve Go's profiler on this loopback address (e.g. 127.0.0.1:6060), for benchmarks")
	idIndex := flag.Bool("id-index", true, "add the _id index FerretDB's SQLite statements can use (see idindex.go)")
	useRelay := flag.Bool("relay", true, "serve clients through the relay that makes updates atomic (see relay.go); false only to measure it")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail("bad -log-level: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	abs, err := filepath.Abs(*dataDir)
	if err != nil {
		fail("bad -data: %v", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		fail("cannot create data folder %s: %v", abs, err)
	}

	listener := ferretdb.ListenerConfig{TCP: *listen, Unix: *unixSocket}
	// With the relay, FerretDB listens only on a socket of this process's own (in the data folder when
	// the path fits a socket's ~100 bytes; one left by a kill -9 is replaced); the relay takes the
	// addresses clients use.
	internal := filepath.Join(abs, "ferretdb.sock")
	if len(internal) > 100 {
		internal = filepath.Join(os.TempDir(), fmt.Sprintf("debrief-engine-%d.sock", os.Getpid()))
	}
	if *useRelay {
		_ = os.Remove(internal)
		listener = ferretdb.ListenerConfig{Unix: internal}
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  listener,
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		fail("cannot start: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if *pprofAddr != "" {
		go func() {
			if err := http.ListenAndServe(*pprofAddr, nil); err != nil {
				logger.Warn("pprof", "error", err)
			}
		}()
	}

	if *idIndex {
		go sweepIDIndexes(ctx, abs, 250*time.Millisecond, logger)
	}

	if *watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	go func() {
		// MongoDBURI blocks until FerretDB's listener is bound; the parent waits for the "ready" line.
		uri := f.MongoDBURI()
		if *useRelay {
			uri = startRelay(ctx, internal, *listen, *unixSocket, logger)
		}
		fmt.Printf("ready %s\n", uri)
	}()

	err = f.Run(ctx)
	if *useRelay {
		_ = os.Remove(internal)
	}
	if err != nil {
		fail("stopped with error: %v", err)
	}
}

// startRelay listens where clients connect (TCP, and the Unix socket if given) and relays them to
// FerretDB's socket; it returns the TCP address as a MongoDB URI.
func startRelay(ctx context.Context, backend, tcpAddr, unixPath string, logger *slog.Logger) string {
	r := &relay{backend: backend, logger: logger}
	tcp, err := net.Listen("tcp", tcpAddr)
	if err != nil {
		fail("cannot listen on %s: %v", tcpAddr, err)
	}
	go r.serve(ctx, tcp)
	if unixPath != "" {
		_ = os.Remove(unixPath) // left by an engine killed with -9
		unix, err := net.Listen("unix", unixPath)
		if err != nil {
			fail("cannot listen on %s: %v", unixPath, err)
		}
		go r.serve(ctx, unix)
	}
	return "mongodb://" + tcp.Addr().String() + "/"
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "debrief-engine: "+format+"\n", args...)
	os.Exit(1)
}
