package org.octgateway.storage;

import org.apache.camel.CamelContext;

/**
 * A provider's SDK client, bound for its Camel component to autowire but built on first use: a provider no endpoint
 * calls never reads credentials nor, for default credential chains, probes a cloud metadata server, and never loads
 * its SDK. It is bound as a registry supplier, which Camel calls when the component first looks it up: when the
 * component is created, on its route's first message (routes/storage-*.yaml reach the components through a toD that
 * resolves no component at startup). A client bound before (a test's in-process fake, an embedder's own) is kept.
 * <p>
 * (Not a stand-in proxy of the client's interface: generating one loads every request and response class of the SDK,
 * 2,000 classes for S3Client, a second of the cold start; Azure's BlobServiceClient is a class besides.)
 */
public final class ProviderClient<T> {

    /** A client that cannot be built, with the setting the operator must set. */
    public static final class MissingSetting extends Exception {
        public MissingSetting(String message) {
            super(message, null, false, false);
        }
    }

    /** Builds the real client. */
    @FunctionalInterface
    public interface Builder<T> {
        T build() throws MissingSetting;
    }

    private final String provider;
    private CamelContext context;
    private Class<T> type;
    private Builder<T> builder;
    private T client;
    private String missingSetting;

    public ProviderClient(String provider) {
        this.provider = provider;
    }

    /** Binds, as {@code beanName}, the client of {@code type} that {@code builder} builds when it is first looked up. */
    public void bind(CamelContext context, Class<T> type, String beanName, Builder<T> builder) {
        this.context = context;
        this.type = type;
        if (context.getRegistry().findSingleByType(type) != null) {
            return;
        }
        this.builder = builder;
        context.getRegistry().bind(beanName, type, this::configuredClient);
    }

    /** The client (built now if not built yet, or the one bound before); fails naming the setting if it cannot be built. */
    public T get() {
        return builder == null ? context.getRegistry().findSingleByType(type) : configuredClient();
    }

    /** Null when the provider can serve (building its client if not built yet); otherwise what is missing. */
    public String missingSetting() {
        client();
        return missingSetting;
    }

    private T configuredClient() {
        T real = client();
        if (real == null) {
            throw new IllegalStateException("The " + provider + " storage provider is not configured: " + missingSetting);
        }
        return real;
    }

    private synchronized T client() {
        if (client == null && builder != null && missingSetting == null) {
            try {
                client = builder.build();
            } catch (MissingSetting e) {
                missingSetting = e.getMessage();
            }
        }
        return client;
    }
}
