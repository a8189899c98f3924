package gevent4j.benchmarks.echo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;

/**
 * The Netty contender: an echo server on Netty's native epoll transport with one event loop for
 * accepting and for every connection, the best single-threaded event loop the JVM has. Written
 * as Netty's own echo example: write each read buffer back, flush when the read burst ends.
 *
 * <p>Usage: {@code NettyEchoServer [port]}; prints {@code listening on <port>}, runs until killed.
 */
public final class NettyEchoServer {

    private NettyEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Netty's native epoll transport is not available", Epoll.unavailabilityCause());
        }
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        EpollEventLoopGroup loop = new EpollEventLoopGroup(1);
        EchoHandler handler = new EchoHandler();
        Channel server = new ServerBootstrap()
            .group(loop, loop)
            .channel(EpollServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(handler);
                }
            })
            .bind(port).sync().channel();
        System.out.println("listening on " + ((InetSocketAddress) server.localAddress()).getPort());
        System.out.flush();
        server.closeFuture().sync();
    }

    @ChannelHandler.Sharable
    private static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            System.err.println("echo: " + ctx.channel().remoteAddress() + ": " + cause);
            ctx.close();
        }
    }
}
