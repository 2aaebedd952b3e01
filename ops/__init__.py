"""Operations tooling outside the pipeline package: the native production stack (``ops.stack``)."""
