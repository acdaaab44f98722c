"""The pure matching core: plain values in, plain values out, no Django."""
