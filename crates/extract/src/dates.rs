//! Dates written in article text, absolute and relative.
