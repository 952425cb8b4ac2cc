/// The OpenAPI 3 description served at `/openapi.yaml`: a copy of docs/openapi.yaml, which a test keeps equal.
enum OpenAPIDocument {
    static let yaml = #"""
        openapi: 3.0.3
        info:
          title: quorum serve
          version: 0.1.0
          description: >-
            An ensemble of small networks answering votes over HTTP (docs/serving.md). Requests that arrive within
            --max-delay-ms are voted together. When the server was started with --token-file, every route but /,
            /healthz, /readyz and /openapi.yaml needs `Authorization: Bearer <token>`. Every error is JSON
            (`Error`) with a message naming the problem.
        servers:
          - url: http://127.0.0.1:8080
        security:
          - {}
          - bearer: []
        paths:
          /v1/vote:
            post:
              summary: Vote on one image, or on a batch of images as multipart/form-data.
              operationId: vote
              parameters:
                - name: members
                  in: query
                  required: false
                  description: Add each member's own answer (1 or true).
                  schema:
                    type: string
                    enum: ["0", "1", "true", "false"]
                - name: X-Image-Shape
                  in: header
                  required: false
                  description: >-
                    With application/octet-stream, the body is raw HWC pixel bytes of this shape (H,W,C; H and W the
                    ensemble's, C from 1 to 4) instead of an image file.
                  schema:
                    type: string
                    pattern: '^[0-9]+,[0-9]+,[0-9]+$'
              requestBody:
                required: true
                content:
                  image/png:
                    schema: {type: string, format: binary}
                  image/jpeg:
                    schema: {type: string, format: binary}
                  image/x-portable-graymap:
                    schema: {type: string, format: binary}
                  application/octet-stream:
                    schema: {type: string, format: binary}
                  multipart/form-data:
                    schema:
                      type: object
                      additionalProperties:
                        type: string
                        format: binary
              responses:
                "200":
                  description: One answer per image, in request order.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/VoteResponse"}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "413": {$ref: "#/components/responses/Error"}
                "415": {$ref: "#/components/responses/Error"}
                "422": {$ref: "#/components/responses/Error"}
                "503": {$ref: "#/components/responses/Error"}
          /v1/ensemble:
            get:
              summary: The served ensemble.
              operationId: ensemble
              responses:
                "200":
                  description: Members, input shape, classes, vote rule, test-time augmentation and the server's limits.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Ensemble"}
                "401": {$ref: "#/components/responses/Error"}
                "503": {$ref: "#/components/responses/Error"}
          /v1/examples:
            get:
              summary: The test images the page offers (from --examples), as base64 HWC bytes.
              operationId: examples
              responses:
                "200":
                  description: The examples; an empty list without --examples.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Examples"}
                "401": {$ref: "#/components/responses/Error"}
                "503": {$ref: "#/components/responses/Error"}
          /healthz:
            get:
              summary: The process answers.
              operationId: healthz
              security: [{}]
              responses:
                "200":
                  description: Alive.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [status]
                        properties:
                          status: {type: string, enum: [ok]}
          /readyz:
            get:
              summary: The members are loaded and votes are answered.
              operationId: readyz
              security: [{}]
              responses:
                "200":
                  description: Ready.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [status, members]
                        properties:
                          status: {type: string, enum: [ready]}
                          members: {type: integer, minimum: 1}
                "503": {$ref: "#/components/responses/Error"}
          /metrics:
            get:
              summary: Prometheus metrics in text format.
              operationId: metrics
              responses:
                "200":
                  description: Requests by route and status, latency, batch sizes, images voted, model load time.
                  content:
                    text/plain:
                      schema: {type: string}
                "401": {$ref: "#/components/responses/Error"}
          /:
            get:
              summary: A page to try the ensemble in a browser.
              operationId: page
              security: [{}]
              responses:
                "200":
                  description: HTML, with no external assets.
                  content:
                    text/html:
                      schema: {type: string}
          /openapi.yaml:
            get:
              summary: This description.
              operationId: openapi
              security: [{}]
              responses:
                "200":
                  description: OpenAPI 3 in YAML.
                  content:
                    application/yaml:
                      schema: {type: string}
        components:
          securitySchemes:
            bearer:
              type: http
              scheme: bearer
          responses:
            Error:
              description: The request was refused; the message names the problem.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Error"}
          schemas:
            Error:
              type: object
              required: [error, status]
              properties:
                error: {type: string}
                status: {type: integer}
            VoteResponse:
              type: object
              required: [images, answers]
              properties:
                images: {type: integer, minimum: 1}
                answers:
                  type: array
                  items: {$ref: "#/components/schemas/Answer"}
            Answer:
              type: object
              required: [name, class, class_name, rule, probability, probabilities, votes, agreement]
              properties:
                name: {type: string, description: "'body', or the part's file or field name in a batch"}
                class: {type: integer, minimum: 0}
                class_name: {type: string}
                rule: {type: string, enum: [hard, soft, weighted]}
                probability: {type: number}
                probabilities: {type: array, items: {type: number}}
                votes: {type: array, items: {type: integer, minimum: 0}}
                agreement: {type: number}
                members:
                  type: array
                  items:
                    type: object
                    required: [name, class, class_name, probability]
                    properties:
                      name: {type: string}
                      class: {type: integer}
                      class_name: {type: string}
                      probability: {type: number}
            Ensemble:
              type: object
              required: [members, input_shape, class_names, vote_rule, test_time_augmentation, max_batch, max_images, max_body]
              properties:
                members:
                  type: array
                  items:
                    type: object
                    required: [name, file, seed, augmentation, weight]
                    properties:
                      name: {type: string}
                      file: {type: string}
                      seed: {type: integer}
                      augmentation: {type: string}
                      weight: {type: number}
                      validation_accuracy: {type: number, nullable: true}
                      test_accuracy: {type: number, nullable: true}
                input_shape: {type: array, items: {type: integer}}
                class_names: {type: array, items: {type: string}}
                vote_rule: {type: string}
                test_time_augmentation: {type: string}
                max_batch: {type: integer}
                max_images: {type: integer}
                max_body: {type: integer}
            Examples:
              type: object
              required: [shape, examples]
              properties:
                shape: {type: array, items: {type: integer}}
                examples:
                  type: array
                  items:
                    type: object
                    required: [index, pixels]
                    properties:
                      index: {type: integer}
                      label: {type: integer}
                      label_name: {type: string}
                      pixels: {type: string, format: byte}
        """# + "\n"
}
