#!/usr/bin/env node
// The bin pnpm links at install time, before any build: it runs the built CLI (dist/bin.js).
// Committed so `pnpm install` in a fresh clone finds the file (no "Failed to create bin" warning).
import "../dist/bin.js";
