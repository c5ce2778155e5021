/**
 * The HTTP client loadgen sends and reads with: kept-alive HTTP/1.1 connections, one blocking
 * request each, on a bounded pool of threads (Apache HttpClient 5).
 *
 * <p>Plain HTTP: nothing of the pipeline's services or of Kafka.
 */
package dev.shardpipe.loadgen.http;
