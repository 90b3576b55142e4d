"""The built-in plugins: rule bundles and reporters, registered like any third-party plugin."""
