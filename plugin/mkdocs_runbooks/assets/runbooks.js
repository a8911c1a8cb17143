/* mkdocs-runbooks: tick boxes kept in the browser. */
