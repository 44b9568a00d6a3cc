/* poll_stub.c - an empty __sp_poll for call-mode builds that do not link the runtime.
 *
 * Call mode is the only mode that needs a definition at link time. Linking this one (compiled
 * without the plugin, in its own object so it is never inlined) measures what the call itself costs:
 * a lower bound for the runtime's __sp_poll, whose fast path adds one TLS load and compare. */
void __sp_poll(void) {}
