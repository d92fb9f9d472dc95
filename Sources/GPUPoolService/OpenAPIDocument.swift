// The served copy of openapi.yaml. A test checks it equals the file the generator reads, so the
// document at GET /openapi.yaml and the generated handlers cannot drift.

/// The OpenAPI document of the service.
enum OpenAPIDocument {
    /// The YAML text of `openapi.yaml`.
    static let yaml = #"""
openapi: "3.1.0"
info:
  title: GPUPool solve service
  version: "1.0.0"
  description: |
    Solves LP/MIP models, plans GPU pools, validates heuristics and ingests GPU telemetry over HTTP
    (`gpupool serve`). Every `/v1` endpoint needs `Authorization: Bearer TOKEN` when the server was
    started with a token. Errors are `{"error": {"code", "message", "details": [...]}}`.
servers:
  - url: http://127.0.0.1:8080
security:
  - bearer: []
paths:
  /v1/solve:
    post:
      operationId: solve
      summary: Solve an LP/MIP model given in the JSON model format or as MPS text.
      description: Without a Content-Type, a body that starts with `{` is read as a JSON model and anything else as MPS/LP text.
      parameters:
        - name: method
          in: query
          description: auto, simplex, dual, interior, mip or heuristic.
          schema:
            type: string
            enum: [auto, simplex, dual, interior, mip, heuristic]
        - name: time_limit
          in: query
          description: Wall-clock limit in seconds; capped by the server's --max-time-limit.
          schema:
            type: number
        - name: mip_gap
          in: query
          description: Relative MIP gap at which to stop.
          schema:
            type: number
        - name: format
          in: query
          description: Format of a text/plain body (default mps; fixed-mps and lp also accepted).
          schema:
            type: string
            enum: [mps, fixed-mps, lp]
      requestBody:
        required: true
        content:
          text/plain:
            schema:
              description: MPS (free or fixed) or CPLEX LP text.
              type: string
          application/json:
            schema:
              description: A model in the GPUPool JSON model format (Docs/Formats.md).
              type: object
      responses:
        "200":
          description: The same object as `gpupool solve --json`.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/SolveResult"
        "400": { $ref: "#/components/responses/BadRequest" }
        "401": { $ref: "#/components/responses/Unauthorized" }
        "413": { $ref: "#/components/responses/TooLarge" }
        "429": { $ref: "#/components/responses/Overloaded" }
        "503": { $ref: "#/components/responses/Unavailable" }
  /v1/plan:
    post:
      operationId: plan
      summary: Place jobs on a GPU pool under policies (as `gpupool plan --json`).
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/PlanRequest"
      responses:
        "200":
          description: The plan, as `gpupool plan --json`; it passed the independent plan checker.
          content:
            application/json:
              schema:
                type: object
        "400": { $ref: "#/components/responses/BadRequest" }
        "401": { $ref: "#/components/responses/Unauthorized" }
        "413": { $ref: "#/components/responses/TooLarge" }
        "429": { $ref: "#/components/responses/Overloaded" }
        "503": { $ref: "#/components/responses/Unavailable" }
  /v1/validate:
    post:
      operationId: validate
      summary: Run a heuristic on generalized-assignment problems and compare with known optima.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/ValidateRequest"
      responses:
        "200":
          description: One record per problem, as the lines of `gpupool validate --json`.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/ValidateResult"
        "400": { $ref: "#/components/responses/BadRequest" }
        "401": { $ref: "#/components/responses/Unauthorized" }
        "413": { $ref: "#/components/responses/TooLarge" }
        "429": { $ref: "#/components/responses/Overloaded" }
        "503": { $ref: "#/components/responses/Unavailable" }
  /v1/telemetry:
    post:
      operationId: telemetry
      summary: Parse raw nvidia-smi CSV, nvidia-smi dmon or DCGM exporter text.
      parameters:
        - name: node
          in: query
          description: Node the telemetry comes from (default "node").
          schema:
            type: string
        - name: format
          in: query
          description: auto (default), nvidia-smi-csv, dmon or dcgm.
          schema:
            type: string
            enum: [auto, nvidia-smi-csv, dmon, dcgm]
      requestBody:
        required: true
        content:
          text/plain:
            schema:
              description: The telemetry text alone (counts and issues; no health events without a pool).
              type: string
          application/json:
            schema:
              $ref: "#/components/schemas/TelemetryRequest"
      responses:
        "200":
          description: Accepted and skipped counts, parse issues and health events.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/TelemetryResult"
        "400": { $ref: "#/components/responses/BadRequest" }
        "401": { $ref: "#/components/responses/Unauthorized" }
        "413": { $ref: "#/components/responses/TooLarge" }
  /healthz:
    get:
      operationId: getHealthz
      security: []
      responses:
        "200":
          description: The process is up.
          content:
            text/plain:
              schema:
                type: string
  /readyz:
    get:
      operationId: getReadyz
      security: []
      responses:
        "200":
          description: Accepting work (not shutting down, queue not full).
          content:
            text/plain:
              schema:
                type: string
        "503":
          description: Shutting down or the queue is full.
          content:
            text/plain:
              schema:
                type: string
  /metrics:
    get:
      operationId: getMetrics
      security: []
      responses:
        "200":
          description: Prometheus text exposition format.
          content:
            text/plain:
              schema:
                type: string
  /openapi.yaml:
    get:
      operationId: getOpenAPISpec
      security: []
      responses:
        "200":
          description: This document.
          content:
            application/yaml:
              schema:
                type: string
components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
  responses:
    BadRequest:
      description: Malformed JSON, model, option or file; the error names the offending field.
      content:
        application/json:
          schema: { $ref: "#/components/schemas/ErrorResponse" }
    Unauthorized:
      description: Missing or wrong bearer token.
      content:
        application/json:
          schema: { $ref: "#/components/schemas/ErrorResponse" }
    TooLarge:
      description: The request body exceeds the server's --max-body.
      content:
        application/json:
          schema: { $ref: "#/components/schemas/ErrorResponse" }
    Overloaded:
      description: All workers busy and the queue full; retry after the `Retry-After` seconds.
      headers:
        Retry-After:
          schema: { type: integer }
      content:
        application/json:
          schema: { $ref: "#/components/schemas/ErrorResponse" }
    Unavailable:
      description: The server is shutting down.
      content:
        application/json:
          schema: { $ref: "#/components/schemas/ErrorResponse" }
  schemas:
    ErrorResponse:
      type: object
      required: [error]
      properties:
        error:
          type: object
          required: [code, message, details]
          properties:
            code:
              type: string
              description: bad_request, unauthorized, payload_too_large, overloaded, unavailable, internal.
            message:
              type: string
            details:
              type: array
              items:
                type: object
                required: [message]
                properties:
                  field:
                    type: string
                    description: The offending field (JSON path, query parameter or FILE:LINE).
                  message:
                    type: string
    SolveResult:
      type: object
      required: [status, has_solution, seconds, solver, warnings, values]
      properties:
        status: { type: string }
        has_solution: { type: boolean }
        objective: { type: [number, "null"] }
        bound: { type: [number, "null"] }
        gap: { type: [number, "null"] }
        seconds: { type: number }
        solver: { type: string }
        message: { type: string }
        warnings:
          type: array
          description: |
            What the reader ignored or decided by convention while reading the body (a second
            RHS/RANGES/BOUNDS set, text after ENDATA or End, a negative upper bound freeing the
            lower bound, …), in file order; empty when there is nothing to report.
          items: { $ref: "#/components/schemas/ReadWarning" }
        values:
          type: object
          description: Column name → value (empty without a solution).
          additionalProperties: { type: number }
    ReadWarning:
      type: object
      required: [file, message]
      properties:
        file: { type: string, description: "Always `body`." }
        line: { type: integer, description: "1-based line of the body; absent when the warning is about the whole body." }
        message: { type: string }
    PlanRequest:
      type: object
      required: [pool, jobs]
      properties:
        pool:
          description: The pool file (Docs/PoolFormat.md) as a JSON object, or its YAML/JSON text as a string.
        jobs:
          description: The workload file as a JSON object, or its YAML/JSON text as a string.
        policy:
          type: string
          description: Policies in priority order, comma-separated.
        method:
          type: string
          enum: [auto, exact, heuristic]
        time_limit:
          type: number
        partitions:
          type: integer
        seed:
          type: integer
        current:
          type: object
          description: A current plan (as returned before) to re-plan from with few migrations.
    ValidateRequest:
      type: object
      required: [files]
      properties:
        files:
          type: array
          items:
            type: object
            required: [name, text]
            properties:
              name:
                type: string
                description: File name (e.g. gap1.txt), which sets the default sense and the instance keys.
              text:
                type: string
                description: The OR-Library GAP file text.
        known:
          type: object
          description: Known optima keyed FILE-K, as ../shared/data/gap/optima.json.
        sense:
          type: string
          enum: [max, min]
        heuristic:
          type: string
          description: The heuristic (default tabu).
        time_limit:
          type: number
          description: Heuristic time limit per problem, seconds (default 1, capped).
        exact:
          type: boolean
          description: Also run the auto method and plain GLPK branch-and-cut on each problem.
        exact_time_limit:
          type: number
          description: Time limit of each exact run, seconds (default and cap the server's maximum).
        seed:
          type: integer
    ValidateResult:
      type: object
      required: [records, errors]
      properties:
        records:
          type: array
          items:
            type: object
        errors:
          type: array
          items: { type: string }
    TelemetryRequest:
      type: object
      required: [text]
      properties:
        text:
          type: string
          description: nvidia-smi CSV, nvidia-smi dmon or DCGM exporter text.
        node:
          type: string
          description: Pool node the readings come from (overrides the query parameter).
        pool:
          description: >-
            The pool (JSON object or YAML/JSON text, Docs/PoolFormat.md); with it the health policy runs
            over the readings and its events are returned.
        rules:
          type: string
          description: Health rules as YAML (default rules when absent).
        plan:
          type: object
          description: The current plan, so the policy knows which GPUs run jobs.
    TelemetryResult:
      type: object
      required: [accepted, skipped, lines, formats, issues]
      properties:
        accepted:
          type: integer
          description: Readings parsed.
        skipped:
          type: integer
          description: Lines skipped as malformed.
        lines:
          type: integer
        formats:
          type: array
          items: { type: string }
        issues:
          type: array
          items: { type: string }
        events:
          type: array
          description: Health state changes caused by the readings (only when a pool was given).
          items:
            type: object
        states:
          type: object
          description: Health state of every pool node after the readings (only when a pool was given).
          additionalProperties: { type: string }

"""#
}
