/**
 * What the HTTP services add to micronaut-security-jwt: a start-up check of the signing secret.
 * Loaded only where micronaut-security is on the classpath and turned on.
 */
package dev.shardpipe.auth.http;
