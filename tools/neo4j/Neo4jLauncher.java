import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * Runs Neo4j Community with the Bolt connector on loopback, for development and tests.
 *
 * Usage: java -cp CLASSPATH Neo4jLauncher.java HOME_DIR PORT [PAGECACHE_MB]
 *
 * Prints "NEO4J READY bolt://127.0.0.1:PORT" once Bolt accepts connections. Shuts down
 * cleanly on SIGTERM/SIGINT and when standard input closes, so that the database never
 * outlives the Node process that started it.
 */
public final class Neo4jLauncher {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Neo4jLauncher HOME_DIR PORT [PAGECACHE_MB]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        long pageCacheMb = args.length > 2 ? Long.parseLong(args[2]) : 512;

        DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                // Stopped only after the hub has closed its connections: no need for the default
                // 5 s + 5 s of waiting for Bolt threads and connections on shutdown.
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(500))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(500))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean(false);
        Runnable stop = () -> {
            if (stopping.compareAndSet(false, true)) {
                try {
                    service.shutdown();
                } finally {
                    stopped.countDown();
                }
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            try { stopped.await(); } catch (InterruptedException ignored) { }
        }));

        System.out.println("NEO4J READY bolt://127.0.0.1:" + port);
        System.out.flush();

        Thread watchParent = new Thread(() -> {
            try (InputStream in = System.in) {
                byte[] buffer = new byte[256];
                while (in.read(buffer) >= 0) { /* keep reading until the parent closes the pipe */ }
            } catch (IOException ignored) {
                // a broken pipe means the parent is gone, too
            }
            stop.run();
            System.exit(0);
        }, "watch-parent");
        watchParent.setDaemon(true);
        watchParent.start();

        stopped.await();
    }
}
