# One small image with the static binaries, built outside Docker (make build-static): no base image is pulled, so
# it builds with no registry. FROM scratch has no shell: entrypoints and health checks call the binaries directly.
FROM scratch
COPY build/static/tokenmindd /usr/local/bin/tokenmindd
ENV HOME=/data
WORKDIR /data
ENTRYPOINT ["/usr/local/bin/tokenmindd"]
CMD ["start", "--home", "/data"]
