//! Text helpers shared by the readers: dates as the letters write them, whitespace, line wraps.
