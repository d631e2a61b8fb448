// Swagger UI for /docs, from the swagger-ui-bundle package (no CDN; a file, so CSP allows it).
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
