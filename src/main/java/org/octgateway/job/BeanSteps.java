package org.octgateway.job;

import java.util.function.Function;

import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Processor;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.ExpressionAdapter;

/**
 * Route steps that call a bean by a plain, typed method call, for the steps every upload, every job and every webhook
 * attempt takes (api/AcceptRoutes, worker/WorkerRoutes; routes/delivery.yaml through {@code ref:} expressions,
 * delivery/DeliveryConfiguration).
 * {@code method("bean", "name")} copies the whole exchange (message, headers, properties, variables) on every
 * evaluation and binds the method's parameters by reflection, {@code bean("bean", "name")} does the binding, and a
 * simple {@code ${exchangeProperty.delivery.webhookUrl}} builds a bean expression each time: ~8 % of the job
 * consumers' and ~6 % of the delivery consumers' CPU in the profile (50 ms × 16 row, 10,000 warm-up uploads).
 * As there, the bean is looked up in the registry once, and what the bean throws becomes the exchange's exception as
 * it was thrown, so the error handlers see the same failures.
 */
public final class BeanSteps {

    /** A bean's method called with what it needs from the exchange; its answer is the step's value. */
    @FunctionalInterface
    public interface Call<B> {
        Object apply(B bean, Exchange exchange) throws Exception;
    }

    /** A static method called with what it needs from the exchange; its answer is the step's value. */
    @FunctionalInterface
    public interface Compute {
        Object apply(Exchange exchange) throws Exception;
    }

    /** A bean's method called with what it needs from the exchange, for its effect. */
    @FunctionalInterface
    public interface Run<B> {
        void accept(B bean, Exchange exchange) throws Exception;
    }

    private BeanSteps() {
    }

    /** The value bean {@code name} answers (like {@code method(name, ...)}, without the exchange copy). */
    public static <B> Expression value(String name, Class<B> type, Call<B> call) {
        Bean<B> bean = new Bean<>(name, type);
        return new ExpressionAdapter() {
            @Override
            public Object evaluate(Exchange exchange) {
                try {
                    return call.apply(bean.in(exchange), exchange);
                } catch (Exception e) {
                    // as method(...): the setProperty/setBody/setHeader step ends the exchange with it
                    exchange.setException(e);
                    return null;
                }
            }

            @Override
            public String toString() {
                return "bean:" + name;
            }
        };
    }

    /**
     * The value a static method answers (like {@code method(Type.class, ...)}, without the exchange copy, and without
     * the registry search for an instance of the type that it makes on every call).
     */
    public static Expression value(String what, Compute compute) {
        return new ExpressionAdapter() {
            @Override
            public Object evaluate(Exchange exchange) {
                try {
                    return compute.apply(exchange);
                } catch (Exception e) {
                    exchange.setException(e); // as value(name, type, call)
                    return null;
                }
            }

            @Override
            public String toString() {
                return what;
            }
        };
    }

    /** A step that calls bean {@code name} (like {@code bean(name, ...)}, without the reflective parameter binding). */
    public static <B> Processor run(String name, Class<B> type, Run<B> run) {
        Bean<B> bean = new Bean<>(name, type);
        return exchange -> run.accept(bean.in(exchange), exchange);
    }

    /** A value of exchange property {@code name} (a record: the job, the delivery), read by a plain method call. */
    public static <T> Expression ofProperty(String name, Class<T> type, Function<T, Object> value) {
        return new ExpressionAdapter() {
            @Override
            public Object evaluate(Exchange exchange) {
                return value.apply(exchange.getProperty(name, type));
            }
        };
    }

    /** The registry's bean, looked up at its first use (beans may be bound lazily, after the routes are built). */
    private static final class Bean<B> {
        private final String name;
        private final Class<B> type;
        private volatile B instance;

        Bean(String name, Class<B> type) {
            this.name = name;
            this.type = type;
        }

        B in(Exchange exchange) {
            B found = instance;
            if (found == null) {
                found = CamelContextHelper.mandatoryLookup(exchange.getContext(), name, type);
                instance = found;
            }
            return found;
        }
    }
}
