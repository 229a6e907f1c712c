package dev.flywheel.cli.command;

import dev.flywheel.registry.ModelRef;
import dev.flywheel.registry.ModelVersion;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.serving.api.ModelVersionSpec;
import dev.flywheel.serving.PredictionServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

@Command(name = "serve",
        footer = {"  flywheel serve demand", "  flywheel serve demand:3 --port 9000", "  flywheel serve demand --grpc-port 9001"},
        description = "Serve a registered model version over HTTP in the foreground (Open Inference Protocol v2 and "
        + "MLflow /invocations) until Ctrl-C. For a managed background server use: flywheel models deploy.")
public final class ServeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "NAME (its production version), NAME:VERSION, NAME@ALIAS or NAME:STAGE.")
    String model;

    @Option(names = "--port", defaultValue = "8080", description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--grpc-port", paramLabel = "G",
            description = "Also serve the Open Inference Protocol over gRPC (inference.GRPCInferenceService) on this port; 0 picks a free one. Off when not given.")
    Integer grpcPort;

    @Option(names = "--batch-max-size", paramLabel = "N", defaultValue = "0",
            description = "Adaptive batching: join concurrent requests into model calls of at most N rows (default 0: off).")
    int batchMaxSize;

    @Option(names = "--batch-max-wait-us", paramLabel = "U", defaultValue = "500",
            description = "With batching on, the most microseconds a request waits for others to join it (default: ${DEFAULT-VALUE}).")
    long batchMaxWaitMicros;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only).")
    String host;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "Write a fresh admin token here; with it, POST /admin/swap hot-swaps another version in. Without it, admin is off.")
    Path adminTokenFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw FlywheelException.invalid("--port must be between 0 and 65535, got " + port);
        }
        if (grpcPort != null && (grpcPort < 0 || grpcPort > 65535 || (grpcPort != 0 && grpcPort == port))) {
            throw FlywheelException.invalid("--grpc-port must be between 0 and 65535 and differ from --port " + port + ", got " + grpcPort);
        }
        if (batchMaxSize < 0 || batchMaxSize > 65536 || batchMaxWaitMicros < 0 || batchMaxWaitMicros > 1_000_000) {
            throw FlywheelException.invalid("--batch-max-size must be 0..65536 rows (0 = no batching) and --batch-max-wait-us "
                    + "0..1000000, got " + batchMaxSize + " and " + batchMaxWaitMicros);
        }
        PrintWriter out = spec.commandLine().getOut();
        ModelVersion version;
        Path file;
        try (Flywheel flywheel = Project.existing(spec)) {
            version = flywheel.models().get(ModelRef.parse(model));
            file = flywheel.models().modelFile(version);
        }
        String token = adminTokenFile == null ? null : writeToken(adminTokenFile);
        PredictionServer server = PredictionServer.create(cfg -> {
            cfg.host = host;
            cfg.port = port;
            cfg.adminToken = token;
            cfg.grpcPort = grpcPort;
            cfg.batchMaxSize = batchMaxSize;
            cfg.batchMaxWaitMicros = batchMaxWaitMicros;
        }).start(new ModelVersionSpec(version.model(), version.version(), version.format(), file, version.signature(),
                version.file().sha256()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "flywheel-serve-shutdown"));
        String base = "http://" + host + ":" + server.port();
        out.printf("Serving %s version %d (%s) at %s%n", version.model(), version.version(), version.format(), base);
        out.printf("  Open Inference Protocol: POST %s/v2/models/%s/infer%n", base, version.model());
        out.printf("  MLflow scoring:          POST %s/invocations%n", base);
        if (server.grpcPort() >= 0) {
            out.printf("  OIP over gRPC:           %s:%d (inference.GRPCInferenceService/ModelInfer)%n", host, server.grpcPort());
        }
        out.printf("  metrics:                 GET  %s/metrics%n", base);
        out.println("Press Ctrl-C to stop (in-flight requests finish first).");
        out.flush();
        stopped.await();
        return 0;
    }

    private static String writeToken(Path file) {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, token);
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // the file system has no POSIX permissions; the token is still written
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return token;
        } catch (IOException e) {
            throw FlywheelException.invalid("Cannot write the admin token to " + file + ": " + e.getMessage());
        }
    }
}
