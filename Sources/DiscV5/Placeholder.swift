// Placeholder until the module lands; replaced by its first real file.
