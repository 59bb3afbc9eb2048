"""The plugin machinery: hook specs, discovery through entry points and the plugin host."""
