"""Cases on the four-level ladder (四级服务网络): report, route, handle, escalate, resolve, rate."""
