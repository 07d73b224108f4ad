from ssl_zoo.layers.projection_head import ProjectionHead
