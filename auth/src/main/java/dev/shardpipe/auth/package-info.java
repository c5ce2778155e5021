/**
 * Who may call the HTTP services: the three roles, the HMAC secret that signs bearer tokens, and
 * minting a token for a role (docs/security.md). Plain Java and Nimbus JOSE+JWT: the devstack,
 * shardctl and the tests use it without an HTTP server; validating tokens is
 * micronaut-security-jwt's job in the services.
 */
package dev.shardpipe.auth;
