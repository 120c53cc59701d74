package org.octgateway.operations;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the operating system back the memory the JVM no longer needs, with a plain {@code java -jar}: on a machine
 * with lots of RAM the JVM's ergonomics commit a large initial heap (1/64 of RAM) and keep it, so startup garbage
 * (class loading, route building, cloud SDK setup) stays resident for good. Once started, the gateway collects that
 * garbage once, keeps less free heap committed after a collection ({@code MaxHeapFreeRatio} 70 → 30 %), and lets G1
 * give back unused heap while idle ({@code G1PeriodicGCInterval}): flags the JVM allows to be set at run time
 * ("manageable"). A JVM option set by the operator (any origin but the default) is left as it is.
 */
final class IdleMemory {

    /** While idle, G1 checks this often (ms) whether a collection could return memory. */
    static final String PERIODIC_GC_MILLIS = "30000";
    private static final String PERIODIC_GC_FLAG = "G1PeriodicGCInterval";
    /** After a collection, at most this much of the committed heap stays free (the JVM's default is 70 %). */
    static final String MAX_FREE_PERCENT = "30";
    /** MinHeapFreeRatio must not exceed MaxHeapFreeRatio (the JVM's default is 40 %). */
    static final String MIN_FREE_PERCENT = "10";
    private static final Logger LOG = LoggerFactory.getLogger(IdleMemory.class);

    private IdleMemory() {
    }

    /** Releases the startup garbage's memory in the background and turns on G1's idle uncommit, unless set already. */
    static void releaseAfterStart() {
        if (!usesG1()) {
            return;
        }
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        VMOption periodic = hotspot.getVMOption(PERIODIC_GC_FLAG);
        if (periodic.getOrigin() == VMOption.Origin.DEFAULT && "0".equals(periodic.getValue())) {
            hotspot.setVMOption(PERIODIC_GC_FLAG, PERIODIC_GC_MILLIS);
        }
        if (hotspot.getVMOption("MinHeapFreeRatio").getOrigin() == VMOption.Origin.DEFAULT
                && hotspot.getVMOption("MaxHeapFreeRatio").getOrigin() == VMOption.Origin.DEFAULT) {
            hotspot.setVMOption("MinHeapFreeRatio", MIN_FREE_PERCENT); // first: it must stay at most the maximum
            hotspot.setVMOption("MaxHeapFreeRatio", MAX_FREE_PERCENT);
        }
        Thread collect = new Thread(() -> {
            long before = Runtime.getRuntime().totalMemory();
            System.gc(); // a full G1 collection shrinks the committed heap to what is used (+ MaxHeapFreeRatio)
            LOG.debug("Heap after the startup collection: {} MB committed, was {} MB",
                    Runtime.getRuntime().totalMemory() >> 20, before >> 20);
        }, "gateway-startup-gc");
        collect.setDaemon(true);
        collect.start();
    }

    static boolean usesG1() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).anyMatch(name -> name.startsWith("G1"));
    }
}
