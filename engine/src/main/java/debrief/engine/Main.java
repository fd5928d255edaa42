package debrief.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoServer;

/**
 * Serves Debrief's embedded database (the MongoDB wire protocol, mongo-java-server over an H2 MVStore
 * file) on a loopback port. Prints "ready mongodb://127.0.0.1:PORT/" once it accepts connections. Stops
 * cleanly on SIGTERM, and when its standard input closes, so it never outlives the process that started
 * it, even one killed with -9.
 */
public final class Main {

    public static void main(String[] args) throws IOException {
        String listen = "127.0.0.1:0";
        Path dataDir = Path.of("data/engine");
        boolean watchStdin = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--listen" -> listen = args[++i];
                case "--data" -> dataDir = Path.of(args[++i]);
                case "--watch-stdin" -> watchStdin = Boolean.parseBoolean(args[++i]);
                default -> fail("unknown argument " + args[i]);
            }
        }
        int colon = listen.lastIndexOf(':');
        String host = listen.substring(0, colon);
        int port = Integer.parseInt(listen.substring(colon + 1));
        if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
            fail("--listen must be a loopback address: the engine has no authentication");
        }

        Files.createDirectories(dataDir);
        // Documents are kept decoded in the store's page cache. Its size is counted in encoded bytes, and a
        // decoded document takes several times that on the heap: a sixth of the heap (a third filled a 512
        // MB heap at 50,000 deals, and the engine spent its time in full collections).
        int cacheMb = (int) Math.max(16, Runtime.getRuntime().maxMemory() / 6 / (1024 * 1024));
        MVStore store = new MVStore.Builder()
            .fileName(dataDir.resolve("debrief.mv.db").toAbsolutePath().toString())
            .cacheSize(cacheMb)
            .open();
        // Every write is its own commit (see DurableBackend), so old chunks turn to garbage fast: free them
        // after a second rather than H2's 45 (which guards against unsynced buffers; ours are synced), and
        // move live pages out of sparse chunks in the background, or the file grows ~25x the data.
        store.setRetentionTime(1000);
        Thread housekeeping = new Thread(() -> {
            while (!store.isClosed()) {
                try {
                    Thread.sleep(5000);
                    if (store.getFillRate() < 70) store.compact(90, 16 * 1024 * 1024);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    if (!store.isClosed()) System.err.println("debrief-engine: compaction failed: " + e);
                }
            }
        }, "compaction");
        housekeeping.setDaemon(true);
        housekeeping.start();
        DurableBackend backend = new DurableBackend(store);
        MongoServer server = new MongoServer(backend);
        // More event-loop threads than the default: a writer waiting for its sync holds its thread.
        server.bind(new InetSocketAddress(host, port), 1, 16);

        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "shutdown"));
        InetSocketAddress bound = server.getLocalAddress();
        System.out.println("ready mongodb://" + bound.getAddress().getHostAddress() + ":" + bound.getPort() + "/");
        System.out.flush();

        if (watchStdin) {
            Thread watcher = new Thread(() -> {
                try (InputStream in = System.in) {
                    byte[] buffer = new byte[256];
                    while (in.read(buffer) >= 0) {
                        // the parent writes nothing; read until end of file
                    }
                } catch (IOException ignored) {
                    // a broken pipe means the parent is gone, as end of file does
                }
                System.exit(0);
            }, "stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
    }

    private static void fail(String message) {
        System.err.println("debrief-engine: " + message);
        System.exit(2);
    }
}
