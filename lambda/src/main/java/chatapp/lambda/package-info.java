/**
 * The API Gateway WebSocket route handlers of the AWS shape ($connect, $disconnect, $default)
 * and the hello function, on core and the AWS adapters; plain Java for short cold starts.
 */
package chatapp.lambda;
