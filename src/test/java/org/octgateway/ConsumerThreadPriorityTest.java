package org.octgateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * gateway.queue.consumer-nice: the threads that run jobs and deliveries run at that OS nice value, the HTTP threads
 * that accept uploads at the JVM's own, so that a client waiting for its answer goes first when the CPU is contended.
 * Read from the kernel (/proc/self/task/&lt;tid&gt;/stat, field 19), as {@code ps -L -o tid,ni,comm} shows them.
 */
class ConsumerThreadPriorityTest extends GatewayTestSupport {

    private static final int NICE = 7;
    private static final String HOOK = "/hooks/priority";

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("gateway.queue.consumer-nice", Integer.toString(NICE));
    }

    @BeforeAll
    void peersAnswer() {
        inference().stubFor(any(anyUrl()).willReturn(okJson("{\"label\":\"ok\"}")));
        webhooks().stubFor(any(anyUrl()).willReturn(ok()));
    }

    @Test
    void jobsAndDeliveriesRunAtTheConsumerNiceValueAndTheHttpThreadsAtTheJvmsOwn() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only: other systems run every thread alike");
        String uuid = accepted(uploadImage("scan.png", "image/png", TestImages.png(640), Map.of("Webhook-Url", webhookUrl(HOOK))));
        awaitEnvelope(HOOK, uuid); // a job and its delivery ran: both routes' threads exist

        List<ThreadNice> threads = threads();
        int jvm = niceOfStat(Path.of("/proc/self/stat")); // the process's first thread: the JVM's own
        List<Integer> jobWorkers = niceOf(threads, "job-worker-");
        List<Integer> deliveries = niceOf(threads, "deliver-webhoo"); // the kernel keeps 15 characters of a name
        List<Integer> eventLoops = niceOf(threads, "vert.x-eventloo");
        assertFalse(jobWorkers.isEmpty() || deliveries.isEmpty() || eventLoops.isEmpty(), "threads: " + threads);
        assertTrue(jobWorkers.stream().allMatch(nice -> nice == jvm + NICE), "job-worker threads: " + jobWorkers);
        assertTrue(deliveries.stream().allMatch(nice -> nice == jvm + NICE), "deliver-webhook threads: " + deliveries);
        assertTrue(eventLoops.stream().allMatch(nice -> nice == jvm), "the event loops answering uploads: " + eventLoops);
        List<Integer> httpWorkers = niceOf(threads, "vert.x-worker-");
        assertTrue(httpWorkers.stream().allMatch(nice -> nice == jvm), "the HTTP workers reading uploads: " + httpWorkers);
    }

    private record ThreadNice(String name, int nice) {
    }

    private static List<Integer> niceOf(List<ThreadNice> threads, String namePrefix) {
        return threads.stream().filter(thread -> thread.name().startsWith(namePrefix)).map(ThreadNice::nice).toList();
    }

    /** Every thread of this JVM with its nice value, from the kernel. */
    private static List<ThreadNice> threads() throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.map(ConsumerThreadPriorityTest::read).filter(thread -> thread != null).toList();
        }
    }

    private static ThreadNice read(Path task) {
        try {
            return new ThreadNice(Files.readString(task.resolve("comm")).strip(), niceOfStat(task.resolve("stat")));
        } catch (IOException e) {
            return null; // the thread ended while the list was read
        }
    }

    /** Field 19 of a stat file ("tid (comm) state ppid ..."), counted after the name's closing parenthesis. */
    private static int niceOfStat(Path stat) throws IOException {
        String text = Files.readString(stat);
        return Integer.parseInt(text.substring(text.lastIndexOf(')') + 2).trim().split(" ")[16]);
    }
}
