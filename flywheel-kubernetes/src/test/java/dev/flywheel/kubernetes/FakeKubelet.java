package dev.flywheel.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays the Job controller and the kubelet against fabric8's mock API server (which runs no container): each Job
 * created in the namespace gets a pod; the pod's container command line runs here as a real child process with the
 * container's arguments and exactly its environment (plain values, and {@code secretKeyRef}s read from the Secrets in
 * the mock server; nothing inherited from this JVM). Only the image's file system is mapped: the image's Java and class
 * path ({@link FlywheelImage}) become this JVM's. When the process ends the pod's log is served, and the pod's phase
 * and the Job's {@code Complete}/{@code Failed} condition are written as the controllers would. A Job deleted while its
 * process runs has the process killed, as the kubelet kills a deleted pod's container.
 */
final class FakeKubelet implements AutoCloseable {
    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final String namespace;
    private final Path logs;
    private final Map<String, Process> running = new ConcurrentHashMap<>();
    private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
    private final List<List<String>> commands = new ArrayList<>();
    private final Thread loop;
    private volatile boolean stopped;
    private volatile String imageThatCannotBePulled = "";

    FakeKubelet(KubernetesMockServer server, KubernetesClient client, String namespace, Path logs) {
        this.server = server;
        this.client = client;
        this.namespace = namespace;
        this.logs = logs;
        this.loop = new Thread(this::loop, "fake-kubelet");
        loop.setDaemon(true);
        loop.start();
    }

    /** Pods of Jobs with this image stay Pending in ImagePullBackOff. */
    void cannotPull(String image) {
        imageThatCannotBePulled = image;
    }

    /** The container command lines started so far, as the Jobs gave them. */
    synchronized List<List<String>> commands() {
        return List.copyOf(commands);
    }

    private void loop() {
        while (!stopped) {
            try {
                for (Job job : client.batch().v1().jobs().inNamespace(namespace).list().getItems()) {
                    String name = job.getMetadata().getName();
                    if (seen.putIfAbsent(name, true) == null) {
                        start(job);
                    }
                }
                for (var e : running.entrySet()) {
                    if (client.batch().v1().jobs().inNamespace(namespace).withName(e.getKey()).get() == null) {
                        e.getValue().destroyForcibly(); // the Job was deleted: its pod's container is killed
                    }
                }
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!stopped) {
                    System.err.println("fake kubelet: " + e);
                }
            }
        }
    }

    private void start(Job job) {
        String name = job.getMetadata().getName();
        String pod = name + "-pod0";
        Container c = job.getSpec().getTemplate().getSpec().getContainers().getFirst();
        client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(pod)
                .withLabels(Map.of("job-name", name, "batch.kubernetes.io/job-name", name)).endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec()).build()).create();
        if (c.getImage().equals(imageThatCannotBePulled)) {
            podStatus(pod, waiting(c, "ImagePullBackOff", "Back-off pulling image \"" + c.getImage() + "\""));
            return;
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar v : c.getEnv()) {
            if (v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null) {
                var ref = v.getValueFrom().getSecretKeyRef();
                Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
                if (secret == null || secret.getData() == null || !secret.getData().containsKey(ref.getKey())) {
                    podStatus(pod, waiting(c, "CreateContainerConfigError", secret == null ? "secret \"" + ref.getName() + "\" not found"
                            : "couldn't find key " + ref.getKey() + " in Secret " + namespace + "/" + ref.getName()));
                    return;
                }
                env.put(v.getName(), new String(Base64.getDecoder().decode(secret.getData().get(ref.getKey())), StandardCharsets.UTF_8));
            } else {
                env.put(v.getName(), v.getValue());
            }
        }
        List<String> command = localCommand(c.getCommand());
        synchronized (this) {
            commands.add(c.getCommand());
        }
        try {
            Path log = logs.resolve(pod + ".log");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            running.put(name, p);
            podStatus(pod, new PodStatusBuilder().withPhase("Running").build());
            jobStatus(name, Map.of("active", 1, "ready", 1), null, null);
            p.onExit().thenRun(() -> finished(name, pod, p, log));
        } catch (IOException e) {
            podStatus(pod, waiting(c, "RunContainerError", e.getMessage()));
        }
    }

    private void finished(String job, String pod, Process p, Path log) {
        running.remove(job);
        if (stopped) {
            return;
        }
        try {
            String text = Files.readString(log);
            server.expect().get().withPath("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/log?pretty=false&container=step&tailLines="
                    + KubernetesJobOperator.LOG_TAIL).andReturn(200, text).always();
            boolean ok = p.exitValue() == 0;
            podStatus(pod, new PodStatusBuilder().withPhase(ok ? "Succeeded" : "Failed").build());
            if (client.batch().v1().jobs().inNamespace(namespace).withName(job).get() == null) {
                return; // deleted (timeout): nothing to report on
            }
            jobStatus(job, ok ? Map.of("succeeded", 1) : Map.of("failed", 1), ok ? "Complete" : "Failed",
                    ok ? "Completed" : "BackoffLimitExceeded");
        } catch (IOException | RuntimeException e) {
            if (!stopped) {
                System.err.println("fake kubelet: " + e);
            }
        }
    }

    /** The image's Java and class path mapped to this JVM's; everything else as the container gives it. */
    private static List<String> localCommand(List<String> command) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < command.size(); i++) {
            String arg = command.get(i);
            if (i == 0 && arg.equals(FlywheelImage.JAVA)) {
                out.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            } else if (i > 0 && command.get(i - 1).equals("-cp") && arg.startsWith(FlywheelImage.CLASSPATH)) {
                out.add(System.getProperty("java.class.path"));
            } else {
                out.add(arg);
            }
        }
        if (!out.getFirst().endsWith("/bin/java")) {
            throw new IllegalStateException("the container does not run the image's Java: " + command);
        }
        return out;
    }

    private static PodStatus waiting(Container c, String reason, String message) {
        return new PodStatusBuilder().withPhase("Pending").withContainerStatuses(new ContainerStatusBuilder().withName(c.getName())
                .withState(new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build())
                .build()).build();
    }

    private void podStatus(String pod, PodStatus status) {
        Pod p = client.pods().inNamespace(namespace).withName(pod).get();
        if (p != null) {
            p.setStatus(status);
            client.pods().inNamespace(namespace).resource(p).updateStatus();
        }
    }

    private void jobStatus(String name, Map<String, Integer> counts, String condition, String reason) {
        Job job = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
        if (job == null) {
            return;
        }
        JobStatusBuilder b = new JobStatusBuilder().withActive(counts.get("active")).withReady(counts.get("ready"))
                .withSucceeded(counts.get("succeeded")).withFailed(counts.get("failed")).withStartTime("2026-11-29T12:00:00Z");
        if (condition != null) {
            b.withConditions(new JobConditionBuilder().withType(condition).withStatus("True").withReason(reason)
                    .withMessage("step container exited").build());
        }
        job.setStatus(b.build());
        client.batch().v1().jobs().inNamespace(namespace).resource(job).updateStatus();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        loop.interrupt();
        loop.join(5000);
        for (Process p : running.values()) {
            p.destroyForcibly();
            p.onExit().join();
        }
    }
}
