//! Unit tests of the function translator's code shapes.
