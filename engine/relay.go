package main

// The relay in front of FerretDB: it makes each update atomic, as MongoDB's are.
//
// FerretDB 1.24 updates a document by reading it, changing it in Go and writing it back, in separate
// SQLite statements with nothing held between them. Two updates of one document at the same moment both
// read the old version, and the later write undoes the earlier: measured, 300 times in 300 (a $set and a
// $push on the same document from two connections). Two conditional updates ({_id, state: "invited"})
// both apply. Debrief's compare-and-set writes (an interview's state, agenda's job locks) rest on that
// not happening.
//
// So the engine's clients talk to this relay, which passes every message through unchanged but lets only
// one update, delete or findAndModify per collection reach FerretDB at a time: the next waits until the
// answer to the one before has come back. Reads and inserts pass at once. It reads the 16-byte header
// of every message and, for OP_MSG, the first element of the command document (the command's name and
// its collection); nothing else.

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
)

const (
	opMsg          = 2013
	headerLen      = 16
	maxMessageLen  = 64 << 20 // MongoDB's limit is 48 MB
	flagMoreToCome = 1 << 1
)

type relay struct {
	// FerretDB's own listener (a Unix socket only this process knows)
	backend string
	logger  *slog.Logger
	// collection name -> *sync.Mutex
	turns sync.Map
}

// serve accepts clients on l until ctx ends.
func (r *relay) serve(ctx context.Context, l net.Listener) {
	go func() {
		<-ctx.Done()
		_ = l.Close()
	}()
	for {
		client, err := l.Accept()
		if err != nil {
			if ctx.Err() == nil && !errors.Is(err, net.ErrClosed) {
				r.logger.Error("relay stopped accepting", "error", err)
			}
			return
		}
		go r.handle(client)
	}
}

func (r *relay) turnFor(collection string) *sync.Mutex {
	m, _ := r.turns.LoadOrStore(collection, &sync.Mutex{})
	return m.(*sync.Mutex)
}

// handle relays one client connection to its own connection to FerretDB.
func (r *relay) handle(client net.Conn) {
	server, err := net.Dial("unix", r.backend)
	if err != nil {
		r.logger.Error("relay cannot reach FerretDB", "error", err)
		_ = client.Close()
		return
	}

	// The turn this connection holds, for the request with this id; a connection sends one request at a
	// time and waits for its answer, so it holds at most one.
	var mu sync.Mutex
	var held *sync.Mutex
	var heldFor uint32
	release := func(answered bool, responseTo uint32) {
		mu.Lock()
		if held != nil && (!answered || responseTo == heldFor) {
			held.Unlock()
			held = nil
		}
		mu.Unlock()
	}

	serverDone := make(chan struct{})
	go func() {
		defer close(serverDone)
		in := bufio.NewReaderSize(server, 64<<10)
		var buf []byte
		for {
			msg, err := readMessage(in, &buf)
			if err != nil {
				break
			}
			// FerretDB has answered: the write is done, the next may start.
			release(true, binary.LittleEndian.Uint32(msg[8:12]))
			if _, err := client.Write(msg); err != nil {
				break
			}
		}
		_ = client.Close()
		_ = server.Close()
	}()

	in := bufio.NewReaderSize(client, 64<<10)
	var buf []byte
	for {
		msg, err := readMessage(in, &buf)
		if err != nil {
			break
		}
		if collection, ok := writeTarget(msg); ok {
			turn := r.turnFor(collection)
			turn.Lock()
			mu.Lock()
			held = turn
			heldFor = binary.LittleEndian.Uint32(msg[4:8])
			mu.Unlock()
		}
		if _, err := server.Write(msg); err != nil {
			break
		}
	}
	_ = server.Close()
	_ = client.Close()
	<-serverDone
	release(false, 0) // the connection ended before its answer came
}

// readMessage reads one whole wire protocol message into *buf (grown as needed) and returns it.
func readMessage(in *bufio.Reader, buf *[]byte) ([]byte, error) {
	var header [4]byte
	if _, err := io.ReadFull(in, header[:]); err != nil {
		return nil, err
	}
	n := int(binary.LittleEndian.Uint32(header[:]))
	if n < headerLen || n > maxMessageLen {
		return nil, fmt.Errorf("message length %d out of range", n)
	}
	if cap(*buf) < n {
		*buf = make([]byte, n)
	}
	msg := (*buf)[:n]
	copy(msg, header[:])
	if _, err := io.ReadFull(in, msg[4:]); err != nil {
		return nil, err
	}
	return msg, nil
}

// writeTarget says whether msg is an update, delete or findAndModify that expects an answer, and of
// which collection. Anything it cannot read (another opcode, compression, an odd document) passes as a
// read: the relay never refuses or changes a message.
func writeTarget(msg []byte) (string, bool) {
	if binary.LittleEndian.Uint32(msg[12:16]) != opMsg || len(msg) < headerLen+4+1+4+1 {
		return "", false
	}
	if binary.LittleEndian.Uint32(msg[16:20])&flagMoreToCome != 0 {
		return "", false // unacknowledged: no answer will come to end the turn
	}
	// The sections: find the body (kind 0), skipping document sequences (kind 1).
	p := headerLen + 4
	for p < len(msg) {
		kind := msg[p]
		p++
		if p+4 > len(msg) {
			return "", false
		}
		size := int(binary.LittleEndian.Uint32(msg[p : p+4]))
		if size < 5 || p+size > len(msg) {
			return "", false
		}
		if kind == 0 {
			return firstElement(msg[p : p+size])
		}
		if kind != 1 {
			return "", false
		}
		p += size
	}
	return "", false
}

// firstElement reads the command document's first element: a write command's name, with its collection.
func firstElement(doc []byte) (string, bool) {
	if len(doc) < 5 || doc[4] != 0x02 { // the collection is a string
		return "", false
	}
	end := 5
	for end < len(doc) && doc[end] != 0 {
		end++
	}
	if end >= len(doc) {
		return "", false
	}
	switch string(doc[5:end]) {
	case "update", "delete", "findAndModify", "findandmodify":
	default:
		return "", false
	}
	p := end + 1
	if p+4 > len(doc) {
		return "", false
	}
	n := int(binary.LittleEndian.Uint32(doc[p : p+4]))
	if n < 1 || p+4+n > len(doc) {
		return "", false
	}
	return string(doc[p+4 : p+4+n-1]), true
}
