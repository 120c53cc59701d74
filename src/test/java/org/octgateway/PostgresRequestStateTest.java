package org.octgateway;

import java.util.Properties;

/** {@link RequestStateTest}'s checks against a real PostgreSQL (gateway.db.url), as deployments run the gateway. */
class PostgresRequestStateTest extends RequestStateTest {

    @Override
    void databaseProperties(Properties properties) {
        properties.setProperty("gateway.db.url", PostgresServer.newDatabase());
        properties.setProperty("gateway.db.username", "postgres");
    }
}
