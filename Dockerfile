# careersbot: multi-stage build of a static binary into a small image.
#
#   docker build --build-arg VERSION=$(git describe --tags --always) -t careersbot .
#   (without VERSION, `careersbot version` says what the build information holds)
#   docker run --rm -p 8080:8080 -v careersbot-data:/data careersbot
#
# The final image holds the binary, CA certificates (for Slack and Discord
# over TLS) and nothing else; it runs as an unprivileged user.

FROM golang:1.26-alpine AS build
WORKDIR /src
RUN apk add --no-cache ca-certificates
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath \
      -ldflags "-s -w -X main.Version=${VERSION}" \
      -o /out/careersbot ./cmd/careersbot \
 && mkdir -p /out/data

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/careersbot /usr/local/bin/careersbot
# /data holds the unanswered-questions database; mount a volume there.
COPY --from=build --chown=65532:65532 /out/data /data
WORKDIR /data
USER 65532:65532
ENV CAREERSBOT_ADDR=:8080 \
    CAREERSBOT_UNANSWERED_DB=/data/careersbot-unanswered.db
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/careersbot", "serve"]
